import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/main.js';
import { silentLogger } from '../../../src/logger.js';
import { tempDir, testConfig } from '../../helpers/env.js';
import { seedWorld } from '../../helpers/digest-world.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink.js';

describe('topic-digest start', () => {
  let sink: SmtpSink;
  afterEach(async () => sink?.close());

  it('on SIGTERM finishes the message in flight, leaves the rest planned, and exits 0', async () => {
    sink = await startSmtpSink({ dataDelayMs: 200 });
    const { dir } = tempDir();
    const env = {
      DATABASE_URL: `sqlite:${dir}/start.db`,
      SMTP_URL: sink.url,
      SMTP_MAX_CONNECTIONS: '1',
      SECRET_KEY: 'k'.repeat(40),
      // Everyone is due at any hour, so the tick at start sends.
      DIGEST_SEND_TIME: '00:00',
      DIGEST_CATCHUP_HOURS: '24',
      SEED_SAMPLE_DATA: 'false',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    };
    const now = new Date();
    const seeding = await createApp(testConfig(dir, env), { logger: silentLogger });
    const readers = Array.from({ length: 10 }, (_, i) => `r${i}@example.com`);
    await seedWorld(seeding, now, { articles: [{ title: 'Storm', topics: ['world'], minutesAgo: 5 }], readers: readers.map((email) => ({ email, topics: ['world'] })) });
    await seeding.close();

    const child = spawn(process.execPath, ['bin/topic-digest.js', 'start'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stderr.on('data', (c: Buffer) => (log += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await sink.waitFor((m) => m.length >= 2, 30_000);
    child.kill('SIGTERM');
    const code = await exited;
    expect(code, log).toBe(0);
    expect(log).toContain('SIGTERM received');

    const app = await createApp(testConfig(dir, env), { logger: silentLogger });
    try {
      const counts = await app.store.deliveries.countByStatus();
      expect(counts.sending).toBe(0); // nothing left uncertain by a clean stop
      expect(counts.sent).toBe(sink.messages.length);
      expect(counts.planned).toBe(readers.length - counts.sent);
      expect(counts.planned).toBeGreaterThan(0);
    } finally {
      await app.close();
    }
  }, 60_000);
});
