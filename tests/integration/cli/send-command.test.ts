import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/main.js';
import { silentLogger } from '../../../src/logger.js';
import { tempDir, testConfig } from '../../helpers/env.js';
import { seedWorld } from '../../helpers/digest-world.js';
import { runCliCaptured } from '../../helpers/run-cli.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink.js';

const NOW = '2026-11-20T08:00:00.000Z';

describe('topic-digest send / deliveries', () => {
  let sink: SmtpSink;
  afterEach(async () => sink?.close());

  async function world() {
    sink = await startSmtpSink();
    const { dir } = tempDir();
    const env = { DATABASE_URL: `sqlite:${dir}/cli.db`, SMTP_URL: sink.url, SECRET_KEY: 's'.repeat(40), LOG_LEVEL: 'silent' };
    const app = await createApp(testConfig(dir, env), { logger: silentLogger });
    await seedWorld(app, new Date(NOW), {
      articles: [{ title: 'Ceasefire talks resume', topics: ['ukraine-war'] }],
      readers: [
        { email: 'ann@example.com', topics: ['ukraine-war'] },
        { email: 'bo@example.com', topics: ['ukraine-war'] },
      ],
    });
    await app.close();
    return env;
  }

  it('--dry-run prints who would get what and sends nothing', async () => {
    const env = await world();
    const r = await runCliCaptured(['send', '--now', NOW, '--dry-run'], env);
    expect(r.code, r.err).toBe(0);
    expect(r.out.join('\n')).toMatch(/ann@example\.com\t2026-11-20\t.*Ceasefire talks resume.*\[ukraine-war:1\]/);
    expect(r.out.at(-1)).toMatch(/^dry run: planned=2 sent=0/);
    expect(sink.messages).toHaveLength(0);
  });

  it('--json prints one summary object; a second run sends nothing; --only limits to one reader', async () => {
    const env = await world();
    const one = await runCliCaptured(['send', '--now', NOW, '--only', 'ann@example.com', '--json'], env);
    expect(one.code, one.err).toBe(0);
    expect(JSON.parse(one.out[0]!)).toMatchObject({ planned: 1, sent: 1, renders: 1, uncertain: 0 });
    const rest = await runCliCaptured(['send', '--now', NOW, '--json'], env);
    expect(JSON.parse(rest.out[0]!)).toMatchObject({ planned: 1, sent: 1 });
    const again = await runCliCaptured(['send', '--now', NOW, '--json'], env);
    expect(JSON.parse(again.out[0]!)).toMatchObject({ planned: 0, sent: 0 });
    expect(sink.messages.map((m) => m.to[0]).sort()).toEqual(['ann@example.com', 'bo@example.com']);

    const list = await runCliCaptured(['deliveries', 'list', '--json'], env);
    expect(JSON.parse(list.out.join('\n'))).toHaveLength(2);
  });

  it('rejects a bad --now with a usage error', async () => {
    const env = await world();
    const r = await runCliCaptured(['send', '--now', 'yesterday'], env);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--now "yesterday" is not an ISO 8601 time');
  });
});

describe('topic-digest send --now in the future', () => {
  it('is refused for a real send (it would swallow articles imported until then) but allowed for a dry run', async () => {
    const { dir } = tempDir();
    const env = { DATABASE_URL: `sqlite:${dir}/f.db`, LOG_LEVEL: 'silent', OUTBOX_DIR: `${dir}/outbox` };
    const future = new Date(Date.now() + 3 * 24 * 3_600_000).toISOString();
    const real = await runCliCaptured(['send', '--now', future], env);
    expect(real.code).toBe(2);
    expect(real.err).toContain('--now is in the future');
    expect((await runCliCaptured(['send', '--now', future, '--dry-run'], env)).code).toBe(0);
  });
});
