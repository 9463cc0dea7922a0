import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/logger.js';
import { createApp, type App } from '../../../src/main.js';
import { seedWorld } from '../../helpers/digest-world.js';
import { tempDir, testConfig } from '../../helpers/env.js';
import { startMisbehavingSmtp, type MisbehavingSmtp, type SmtpFault } from '../../helpers/misbehaving-smtp.js';

const NOW = new Date('2026-11-20T08:00:00Z');
const READERS = Array.from({ length: 6 }, (_, i) => `reader${i + 1}@example.com`);

/**
 * Per fault: how often it strikes, and the counts over both runs (sent is summed; uncertain is the
 * ledger's unsettled total). A silent relay (no reply within the timeout) stops the first run, so
 * the rest goes out in the second.
 */
const CASES: Array<[SmtpFault, number, { sent: number; uncertain: number; failed: number; bounced?: number }]> = [
  // (greeting-421 lets the run's verify connection through, then strikes the sending connections.)
  ['close-after-data', 2, { sent: 4, uncertain: 2, failed: 0 }],
  ['silent-after-data', 2, { sent: 4, uncertain: 2, failed: 0 }],
  ['late-reply', 1, { sent: 5, uncertain: 1, failed: 0 }],
  ['reset-before-data', 2, { sent: 6, uncertain: 0, failed: 0 }],
  ['greeting-421', 2, { sent: 6, uncertain: 0, failed: 0 }],
  ['rcpt-451', 2, { sent: 6, uncertain: 0, failed: 0 }],
  ['rcpt-550', 1, { sent: 5, uncertain: 0, failed: 1, bounced: 1 }],
];
const SILENT: SmtpFault[] = ['silent-after-data', 'late-reply'];
// SMTP_TIMEOUT_SECONDS is 2 here: short, yet long enough that a loaded CI machine's normal replies fit.

describe('exactly once under every SMTP fault', () => {
  let server: MisbehavingSmtp | undefined;
  let app: App | undefined;
  afterEach(async () => {
    await app?.close();
    await server?.close();
  });

  /** Six readers of one edition, sending through `smtp` with a 2 s SMTP timeout. */
  async function world(smtp: MisbehavingSmtp, connections = 2): Promise<App> {
    const { dir } = tempDir();
    const created = await createApp(testConfig(dir, { SMTP_URL: smtp.url, SMTP_MAX_CONNECTIONS: String(connections), SMTP_TIMEOUT_SECONDS: '2' }), { logger: silentLogger, retryBaseMs: 10 });
    await seedWorld(created, NOW, { articles: [{ title: 'Storm warning', topics: ['world'] }], readers: READERS.map((email) => ({ email, topics: ['world'] })) });
    return created;
  }

  it.each(CASES)('%s ×%i: no duplicates, nobody lost, honest counts across two runs', async (fault, times, expected) => {
    server = await startMisbehavingSmtp(fault, { times, lateMs: 4_000, skip: fault === 'greeting-421' ? 1 : 0 });
    app = await world(server);

    const first = await app.runDigest({ now: NOW, force: true });
    expect(server.injected()).toBe(times);
    expect(first).toMatchObject({ planned: 6, deferred: 0, uncertain: expected.uncertain, failed: expected.failed, bounced: expected.bounced ?? 0 });
    if (SILENT.includes(fault)) expect(first.stoppedBecause).toMatch(/stopped answering within SMTP_TIMEOUT_SECONDS/);
    else expect(first.sent, JSON.stringify(first)).toBe(expected.sent);
    const second = await app.runDigest({ now: NOW, force: true });
    expect(second).toMatchObject({ planned: 0, failed: 0, deferred: 0, uncertain: expected.uncertain });
    expect(first.sent + second.sent).toBe(expected.sent);
    expect(second.stoppedBecause).toBeUndefined();

    // Duplicates 0: no address got the day twice, whatever the server did.
    const received = server.messages.map((m) => m.to[0]!);
    expect(new Set(received).size).toBe(received.length);
    // Lost 0: everyone either has it, or is named uncertain or failed.
    const uncertain = (await app.store.deliveries.listUncertain()).map((u) => u.email);
    const failed = (await app.store.deliveries.list({ status: 'failed' })).map((r) => r.email);
    for (const email of READERS) expect(received.includes(email) || uncertain.includes(email) || failed.includes(email), `${email} lost`).toBe(true);
    expect(second.uncertainDeliveries?.map((u) => u.email).sort() ?? []).toEqual([...uncertain].sort());
    if (fault.endsWith('after-data') || fault === 'late-reply') {
      // The server took them: uncertain, not failed, and never sent again automatically.
      for (const email of uncertain) expect(received).toContain(email);
      expect((await app.store.deliveries.listUncertain())[0]!.reason).toMatch(/^no reply after DATA/);
    }
    expect(await app.store.deliveries.countByStatus()).toMatchObject({ planned: 0 });
  }, 30_000);

  it('a relay that stops answering ends the run within the timeout, leaving only the in-flight messages uncertain', async () => {
    server = await startMisbehavingSmtp('silent-after-data', { times: 1_000 });
    app = await world(server);
    const started = Date.now();
    const run = await app.runDigest({ now: NOW, force: true });
    // Not six readers times the timeout: the pass stops at the first silence (slack for a loaded machine).
    expect(Date.now() - started).toBeLessThan(2_000 * 3);
    expect(run).toMatchObject({ planned: 6, sent: 0, uncertain: 2, deferred: 0 });
    expect(run.stoppedBecause).toMatch(/stopped answering/);
    expect(await app.store.deliveries.countByStatus()).toMatchObject({ planned: 4, sending: 2 });
    expect(await app.store.ledger.claimBatch('next', 10, 60, new Date())).toHaveLength(4); // returned to the pool at once
  }, 30_000);

  it('a relay that says 421 at the greeting of the first connections does not stop the run', async () => {
    server = await startMisbehavingSmtp('greeting-421', { times: 2 });
    app = await world(server, 5);
    expect(await app.runDigest({ now: NOW, force: true })).toMatchObject({ planned: 6, sent: 6 });
    expect(server.injected()).toBe(2);
  }, 30_000);
});
