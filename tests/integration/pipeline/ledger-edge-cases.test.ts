import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { App } from '../../../src/main.js';
import { digestApp } from '../../helpers/digest-app.js';
import { seedWorld } from '../../helpers/digest-world.js';
import { databasePerTest, testDialects } from '../../helpers/dialects.js';
import { tempDir } from '../../helpers/env.js';
import { startSmtpSink, type RecipientRule, type SmtpSink } from '../../helpers/smtp-sink.js';

const DAY = 24 * 3_600_000;
const DAY1 = new Date('2026-11-27T08:00:00Z');

describe.each(testDialects())('ledger edge cases on %s', (dialect) => {
  const database = databasePerTest(dialect);
  let sink: SmtpSink;
  let app: App;
  afterEach(async () => {
    await app?.close();
    await sink?.close();
  });

  async function setup(recipients?: RecipientRule, env: Record<string, string> = {}) {
    sink = await startSmtpSink(recipients ? { recipients } : {});
    const { dir } = tempDir();
    app = await digestApp({ SMTP_URL: sink.url, DATABASE_URL: await database.cleanUrl(dir), ...env }, dir);
  }

  it('an explicit send re-plans a day a tick skipped as late, once; the sent day then stays sent', async () => {
    await setup();
    const late = new Date('2026-11-27T15:00:00Z'); // 8 h past a UTC reader's 07:00, beyond the 6 h catch-up
    await seedWorld(app, late, { articles: [{ title: 'Late story', topics: ['world'] }], readers: [{ email: 'ann@example.com', topics: ['world'], timezone: 'UTC' }] });
    expect(await app.runDigest({ now: late })).toMatchObject({ planned: 0, skipped: 1, skippedBy: { late: 1 } });
    expect(await app.runDigest({ now: late, force: true })).toMatchObject({ planned: 1, sent: 1 });
    expect(await app.runDigest({ now: late, force: true })).toMatchObject({ planned: 0, sent: 0, skipped: 0 });
    expect(sink.messages).toHaveLength(1);
    const rows = await app.store.deliveries.list();
    expect(rows.map((r) => [r.localDate, r.status, r.reason])).toEqual([['2026-11-27', 'sent', null]]);
  });

  it('a day that never got through is superseded by the next: one digest, no repeated story', async () => {
    let refuse = true;
    await setup(() => (refuse ? { code: 452, message: 'mailbox full' } : 'accept'));
    await seedWorld(app, DAY1, { articles: [{ title: 'Monday story', topics: ['world'] }], readers: [{ email: 'ann@example.com', topics: ['world'] }] });
    expect(await app.runDigest({ now: DAY1, force: true })).toMatchObject({ sent: 0, deferred: 1 });

    const day2 = new Date(DAY1.getTime() + DAY);
    await seedWorld(app, day2, { articles: [{ title: 'Tuesday story', topics: ['world'] }] });
    refuse = false;
    expect(await app.runDigest({ now: day2, force: true })).toMatchObject({ planned: 1, sent: 1 });
    expect(sink.messages).toHaveLength(1);
    const text = sink.messages[0]!.parsed.text!;
    expect(text).toContain('Monday story'); // the missed day's news is not lost
    expect(text).toContain('Tuesday story');
    const rows = await app.store.deliveries.list();
    expect(rows.map((r) => [r.localDate, r.status, r.reason]).sort()).toEqual([
      ['2026-11-27', 'skipped', 'superseded'],
      ['2026-11-28', 'sent', null],
    ]);
  });

  it('does not send to a reader who unsubscribed after being planned', async () => {
    let refuse = true;
    await setup(() => (refuse ? { code: 451, message: 'later' } : 'accept'));
    const { readerIds } = await seedWorld(app, DAY1, { articles: [{ title: 'Story', topics: ['world'] }], readers: [{ email: 'gone@example.com', topics: ['world'] }] });
    expect(await app.runDigest({ now: DAY1, force: true })).toMatchObject({ deferred: 1 });
    await app.store.subscribers.setStatus(readerIds[0]!, 'unsubscribed', DAY1.toISOString());
    refuse = false;
    expect(await app.runDigest({ now: DAY1, force: true })).toMatchObject({ sent: 0 });
    expect(sink.messages).toHaveLength(0);
    expect((await app.store.deliveries.list())[0]).toMatchObject({ status: 'skipped', reason: 'reader inactive' });
  });

  it('never resends a message the server accepted when recording it fails; it stays uncertain', async () => {
    await setup();
    await seedWorld(app, DAY1, { articles: [{ title: 'Story', topics: ['world'] }], readers: [{ email: 'a@example.com', topics: ['world'] }, { email: 'b@example.com', topics: ['world'] }] });
    const spy = vi.spyOn(app.store.ledger, 'markSent').mockRejectedValueOnce(new Error('SQLITE_BUSY: database is locked'));
    const summary = await app.runDigest({ now: DAY1, force: true });
    spy.mockRestore();
    expect(summary.stoppedBecause).toMatch(/could not record delivery \d+ as sent: SQLITE_BUSY/);
    const received = sink.messages.map((m) => m.to[0]);
    expect(new Set(received).size).toBe(received.length);
    expect((await app.store.deliveries.list({ status: 'sending' }))).toHaveLength(1);
  });

  it('gives up on a delivery that keeps failing transiently across runs', async () => {
    await setup(() => ({ code: 451, message: 'greylisted forever' }), { CLAIM_LEASE_SECONDS: '1' });
    await seedWorld(app, DAY1, { articles: [{ title: 'Story', topics: ['world'] }], readers: [{ email: 'grey@example.com', topics: ['world'] }] });
    for (let run = 0; run < 4; run++) {
      // A deferred row stays leased to its run until the lease ends; then the next run takes it.
      if (run > 0) await sleep(1_100);
      await app.runDigest({ now: DAY1, force: true });
    }
    const [row] = await app.store.deliveries.list();
    expect(row).toMatchObject({ status: 'failed', attempts: 12 });
    expect(row!.error).toMatch(/gave up after 12 attempts/);
    // A transient refusal is not a bounce.
    expect((await app.store.subscribers.findByEmail('grey@example.com'))!.status).toBe('active');
  });
});
