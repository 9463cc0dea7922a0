import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/main.js';
import { silentLogger } from '../../../src/logger.js';
import { tempDir, testConfig } from '../../helpers/env.js';
import { seedWorld } from '../../helpers/digest-world.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink.js';

const NOW = new Date('2026-11-20T08:00:00Z');
const READERS = Array.from({ length: 12 }, (_, i) => `reader${i + 1}@example.com`);

describe('a run killed mid-send', () => {
  let sink: SmtpSink;
  afterEach(async () => sink?.close());

  it('resumes with no duplicates and none lost, and reports the uncertain one', async () => {
    // Each message is held 150 ms before the server says 250, so the kill lands mid-run.
    sink = await startSmtpSink({ dataDelayMs: 150 });
    const { dir } = tempDir();
    // The default 120 s lease: the next run must not wait for it (SQLite proves the sender dead).
    const env = { DATABASE_URL: `sqlite:${dir}/crash.db`, SMTP_URL: sink.url, SMTP_MAX_CONNECTIONS: '1', SECRET_KEY: 'k'.repeat(40), LOG_LEVEL: 'silent' };
    const seeding = await createApp(testConfig(dir, env), { logger: silentLogger });
    await seedWorld(seeding, NOW, { articles: [{ title: 'Storm warning', topics: ['world'] }], readers: READERS.map((email) => ({ email, topics: ['world'] })) });
    await seeding.close();

    const child = spawn(process.execPath, ['bin/topic-digest.js', 'send', '--now', NOW.toISOString()], { env: { ...process.env, ...env }, stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    await sink.waitFor((m) => m.length >= 4, 30_000);
    child.kill('SIGKILL');
    await exited;
    const before = new Set(sink.messages.map((m) => m.to[0]));
    expect(before.size).toBeGreaterThanOrEqual(4);
    expect(before.size).toBeLessThan(READERS.length);

    const app = await createApp(testConfig(dir, env), { logger: silentLogger, retryBaseMs: 10 });
    try {
      const stranded = await app.store.db.selectFrom('deliveries').select('id').where('status', '=', 'planned').where('lease_until', 'is not', null).execute();
      const summary = await app.runDigest({ now: NOW, force: true });
      // Right away, in this same run: the dead sender's leased rows went out, its in-flight one is reported.
      const sentIds = new Set((await app.store.deliveries.list({ status: 'sent' })).map((r) => r.id));
      for (const row of stranded) expect(sentIds.has(row.id)).toBe(true);
      const uncertain = await app.store.deliveries.list({ status: 'sending' });
      expect(summary.uncertain).toBe(uncertain.length);
      expect(uncertain.length).toBeLessThanOrEqual(1);

      const received = sink.messages.map((m) => m.to[0]!);
      expect(new Set(received).size).toBe(received.length); // nobody twice
      const uncertainEmails = uncertain.map((u) => u.email);
      for (const email of READERS) {
        expect(received.includes(email) || uncertainEmails.includes(email), `${email} lost`).toBe(true);
      }
      expect(await app.store.deliveries.list({ status: 'planned' })).toEqual([]);

      // The operator resends the uncertain rows on purpose.
      const requeued = await app.store.deliveries.requeueUncertain();
      expect(requeued).toBe(uncertain.length);
      const retry = await app.runDigest({ now: NOW, sendOnly: true });
      expect(retry.sent).toBe(uncertain.length);
      expect(retry.planned).toBe(0);
      for (const email of READERS) expect(sink.to(email).length).toBeGreaterThanOrEqual(1);
    } finally {
      await app.close();
    }
  }, 60_000);
});
