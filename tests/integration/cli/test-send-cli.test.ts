import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/logger.js';
import { createApp } from '../../../src/main.js';
import { seedWorld } from '../../helpers/digest-world.js';
import { tempDir, testConfig } from '../../helpers/env.js';
import { runCliCaptured } from '../../helpers/run-cli.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink.js';

/** `topic-digest test-send`: the console's test send from the shell, over real SMTP. */

describe('test-send', () => {
  let sink: SmtpSink | undefined;
  afterEach(async () => sink?.close());

  it('sends the marked test, prints what went, and exits non-zero with the reason when there is nothing to send', async () => {
    sink = await startSmtpSink();
    const { dir } = tempDir();
    const env = { DATABASE_URL: `sqlite:${dir}/cli.db`, SMTP_URL: sink.url, SECRET_KEY: 's'.repeat(40), LOG_LEVEL: 'silent' };
    const app = await createApp(testConfig(dir, env), { logger: silentLogger });
    await seedWorld(app, new Date(), { articles: [{ title: 'Ceasefire talks resume', topics: ['world'], minutesAgo: 15 }] });
    await app.close();

    const run = await runCliCaptured(['test-send', '--to', 'ed@example.com', '--topics', 'world,tech'], env);
    expect(run.code, run.err).toBe(0);
    expect(run.out[0]).toMatch(/^sent "\[Test\] .+" to ed@example\.com$/);
    expect(run.out[1]).toBe('  1 article(s): World 1');
    expect(run.out[2]).toMatch(/^ {2}Message-ID <[^>]+>; 250 /);
    await sink.waitFor((m) => m.length === 1);
    expect(sink.messages[0]!.parsed.headers.get('x-topic-digest-test')).toBe('1');

    const none = await runCliCaptured(['test-send', '--to', 'ed@example.com', '--topics', 'climate'], env);
    expect(none.code).toBe(1);
    expect(none.err).toContain('nothing sent to ed@example.com: there are no stories on those topics');
    const bad = await runCliCaptured(['test-send', '--to', 'ed@example.com', '--topics', 'world', '--frequency', 'hourly'], env);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--frequency "hourly" is not daily or weekly');
    expect(sink.messages).toHaveLength(1);
  });

  it('without SMTP_URL, writes the test to the outbox and says where', async () => {
    const { dir } = tempDir();
    const env = { DATABASE_URL: `sqlite:${dir}/cli.db`, OUTBOX_DIR: `${dir}/outbox`, SECRET_KEY: 's'.repeat(40), LOG_LEVEL: 'silent' };
    const app = await createApp(testConfig(dir, env), { logger: silentLogger });
    await seedWorld(app, new Date(), { articles: [{ title: 'Ceasefire talks resume', topics: ['world'], minutesAgo: 15 }] });
    await app.close();
    const run = await runCliCaptured(['test-send', '--to', 'ed@example.com', '--topics', 'world'], env);
    expect(run.code, run.err).toBe(0);
    const file = /written to (\S+\.eml)$/.exec(run.out[2]!)![1]!;
    const eml = readFileSync(file, 'utf8');
    expect(eml).toMatch(/^Subject: \[Test\] /m);
    expect(eml).toMatch(/^X-Topic-Digest-Test: 1\r?$/m);
  });
});
