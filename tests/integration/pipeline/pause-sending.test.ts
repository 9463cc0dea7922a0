import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../../src/main.js';
import { silentLogger } from '../../../src/logger.js';
import { PAUSED } from '../../../src/deliver/send-run.js';
import type { Logger } from '../../../src/logger.js';
import { startWorker } from '../../../src/schedule/worker.js';
import { tempDir, testConfig } from '../../helpers/env.js';
import { seedWorld } from '../../helpers/digest-world.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink.js';

/** The console's "pause all sending" switch, honoured by a `send` already running in another process. */

const NOW = new Date('2026-11-20T08:00:00Z');
const READERS = Array.from({ length: 20 }, (_, i) => `reader${i + 1}@example.com`);

describe('pause all sending', () => {
  let sink: SmtpSink;
  let app: App | undefined;
  afterEach(async () => {
    await app?.close();
    await sink?.close();
  });

  it('a running send stops taking new work within one batch; nothing is lost or sent twice after resuming', async () => {
    // 150 ms per message over one connection: the run takes seconds, so the pause lands mid-run.
    sink = await startSmtpSink({ dataDelayMs: 150 });
    const { dir } = tempDir();
    const env = { DATABASE_URL: `sqlite:${dir}/pause.db`, SMTP_URL: sink.url, SMTP_MAX_CONNECTIONS: '1', SECRET_KEY: 'k'.repeat(40), LOG_LEVEL: 'warn', LOG_FORMAT: 'json' };
    app = await createApp(testConfig(dir, env), { logger: silentLogger, retryBaseMs: 10 });
    await seedWorld(app, NOW, { articles: [{ title: 'Storm warning', topics: ['world'] }], readers: READERS.map((email) => ({ email, topics: ['world'] })) });

    const child = spawn(process.execPath, ['bin/topic-digest.js', 'send', '--now', NOW.toISOString()], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await sink.waitFor((m) => m.length >= 3, 30_000);
    await app.store.admin.setPaused(true, 'editor@example.com', new Date());
    const atPause = sink.messages.length;
    expect(await exited).toBe(0);

    const sentBeforeResume = sink.messages.length;
    // Batch size is 4 per connection (concurrency 1): at most one more claimed batch plus the one in flight.
    expect(sentBeforeResume).toBeLessThanOrEqual(atPause + 5);
    expect(sentBeforeResume).toBeLessThan(READERS.length);
    expect(output).toContain(PAUSED);
    expect(output).toMatch(/paused/);
    const rows = await app.store.db.selectFrom('deliveries').select(['status', 'lease_until']).execute();
    // Unstarted claims went back to the pool: nothing is left uncertain or leased.
    expect(rows.filter((r) => r.status === 'sending')).toHaveLength(0);
    expect(rows.filter((r) => r.status === 'planned')).toHaveLength(READERS.length - sentBeforeResume);
    expect(rows.filter((r) => r.status === 'planned' && r.lease_until !== null)).toHaveLength(0);

    // While paused, a new run neither plans nor sends.
    const idle = await app.runDigest({ now: NOW, force: true });
    expect(idle).toMatchObject({ paused: true, sent: 0, planned: 0 });
    expect(sink.messages.length).toBe(sentBeforeResume);

    await app.store.admin.setPaused(false, 'editor@example.com', new Date());
    const resumed = await app.runDigest({ now: NOW, force: true });
    expect(resumed.paused).toBeUndefined();
    expect(resumed.sent).toBe(READERS.length - sentBeforeResume);
    const recipients = sink.messages.map((m) => m.to[0]);
    expect(new Set(recipients).size).toBe(READERS.length);
    expect(recipients).toHaveLength(READERS.length);
  }, 60_000);

  it('a worker sends nothing while paused, says so once in the log, and resumes by itself', async () => {
    sink = await startSmtpSink();
    const { dir } = tempDir();
    const lines: string[] = [];
    const logger: Logger = { debug: () => undefined, info: () => undefined, warn: (m) => lines.push(m), error: (m) => lines.push(m) };
    app = await createApp(testConfig(dir, { SMTP_URL: sink.url, SECRET_KEY: 'k'.repeat(40) }), { logger, retryBaseMs: 10 });
    await seedWorld(app, NOW, { articles: [{ title: 'Storm warning', topics: ['world'] }], readers: READERS.slice(0, 3).map((email) => ({ email, topics: ['world'] })) });
    await app.store.admin.setPaused(true, 'editor@example.com', new Date());
    await app.runDigest({ now: NOW, force: true });
    // Paused before planning: nothing was even planned.
    expect(await app.store.db.selectFrom('deliveries').select('id').execute()).toHaveLength(0);
    await app.store.admin.setPaused(false, 'editor@example.com', new Date());
    await app.runDigest({ now: NOW, force: true, planOnly: true });
    await app.store.admin.setPaused(true, 'editor@example.com', new Date());
    const worker = startWorker({ runDigest: (o) => app!.runDigest(o), logger }, { idleMs: 20 });
    await new Promise((r) => setTimeout(r, 300));
    expect(sink.messages).toHaveLength(0);
    expect(lines.filter((l) => l.includes('paused'))).toHaveLength(2);
    await app.store.admin.setPaused(false, 'editor@example.com', new Date());
    await sink.waitFor((m) => m.length === 3, 10_000);
    await worker.stop();
    expect(lines.filter((l) => l.includes('stopped early'))).toEqual([]);
  }, 30_000);
});
