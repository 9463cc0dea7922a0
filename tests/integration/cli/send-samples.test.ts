import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/main.js';
import { silentLogger } from '../../../src/logger.js';
import { seedSampleData } from '../../../src/seed/seed-sample-data.js';
import { tempDir, testConfig } from '../../helpers/env.js';
import { runCliCaptured } from '../../helpers/run-cli.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink.js';

const examples = (JSON.parse(readFileSync(new URL('../../../subscribers.example.json', import.meta.url), 'utf8')) as { subscribers: { email: string; topics: string[] }[] }).subscribers;

describe('the example readers and the sample articles, sent over SMTP', () => {
  let sink: SmtpSink;
  afterEach(async () => sink?.close());

  it('delivers one correct digest per reader, and a second run delivers nothing', async () => {
    sink = await startSmtpSink();
    const { dir } = tempDir();
    const env = { DATABASE_URL: `sqlite:${dir}/samples.db`, SMTP_URL: sink.url, SECRET_KEY: 'x'.repeat(40), LOG_LEVEL: 'silent' };
    const app = await createApp(testConfig(dir, env), { logger: silentLogger });
    expect((await seedSampleData(app)).seeded).toBe(true);
    const topicNames = new Map((await app.store.topics.list()).map((t) => [t.slug, t.name]));
    await app.close();

    const first = await runCliCaptured(['send', '--json'], env);
    expect(first.code, first.err).toBe(0);
    expect(JSON.parse(first.out[0]!)).toMatchObject({ sent: examples.length, failed: 0, uncertain: 0 });
    for (const reader of examples) {
      const got = sink.to(reader.email);
      expect(got, reader.email).toHaveLength(1);
      const text = got[0]!.parsed.text!;
      // Every section heading belongs to a topic the reader follows.
      const headings = [...topicNames.entries()].filter(([, name]) => new RegExp(`^${name}\\n=+$`, 'm').test(text)).map(([slug]) => slug);
      expect(headings.length, `${reader.email} has no sections`).toBeGreaterThan(0);
      for (const slug of headings) expect(reader.topics).toContain(slug);
    }

    const second = await runCliCaptured(['send', '--json'], env);
    expect(JSON.parse(second.out[0]!)).toMatchObject({ planned: 0, sent: 0 });
    expect(sink.messages).toHaveLength(examples.length);
  });
});
