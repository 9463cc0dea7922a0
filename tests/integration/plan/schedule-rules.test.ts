import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../../src/main.js';
import { digestApp } from '../../helpers/digest-app.js';
import { seedWorld } from '../../helpers/digest-world.js';
import { databasePerTest, testDialects } from '../../helpers/dialects.js';
import { tempDir } from '../../helpers/env.js';

describe.each(testDialects())('who is due, by local send time, on %s', (dialect) => {
  const database = databasePerTest(dialect);
  let app: App;
  beforeEach(async () => {
    // Outbox transport: these tests are about planning, not SMTP.
    const { dir } = tempDir();
    app = await digestApp({ DIGEST_SEND_TIME: '07:00', DIGEST_TIMEZONE: 'UTC', DIGEST_CATCHUP_HOURS: '6', DATABASE_URL: await database.cleanUrl(dir) }, dir);
  });
  afterEach(async () => app.close());

  it('plans each reader at their own 07:00, once per local day', async () => {
    const now = new Date('2026-11-27T00:30:00Z'); // 08:30 in Singapore, 00:30 in London, 19:30 yesterday in New York
    await seedWorld(app, now, {
      articles: [{ title: 'Overnight news', topics: ['world'], minutesAgo: 10 }],
      readers: [
        { email: 'sg@example.com', topics: ['world'], timezone: 'Asia/Singapore' },
        { email: 'ldn@example.com', topics: ['world'], timezone: 'Europe/London' },
        { email: 'ny@example.com', topics: ['world'], timezone: 'America/New_York' },
        { email: 'default@example.com', topics: ['world'] },
      ],
    });
    const first = await app.runDigest({ now });
    // New York's 07:00 on the 26th is 12.5 hours gone: that day is skipped, not sent late.
    expect(first).toMatchObject({ planned: 1, sent: 1, skipped: 1 });
    const rows = await app.store.deliveries.list();
    expect(rows.map((r) => [r.email, r.localDate, r.status, r.reason]).sort()).toEqual([
      ['ny@example.com', '2026-11-26', 'skipped', 'late'],
      ['sg@example.com', '2026-11-27', 'sent', null],
    ]);

    // 07:10 UTC: London and the default-timezone reader are due; Singapore already had today's.
    const later = new Date('2026-11-27T07:10:00Z');
    expect(await app.runDigest({ now: later })).toMatchObject({ planned: 2, sent: 2 });
    expect(await app.runDigest({ now: new Date('2026-11-27T07:15:00Z') })).toMatchObject({ planned: 0, sent: 0 });
  });

  it('records a day as skipped instead of sending more than DIGEST_CATCHUP_HOURS late', async () => {
    const now = new Date('2026-11-27T14:00:00Z'); // 7 hours after 07:00 UTC
    await seedWorld(app, now, { articles: [{ title: 'News', topics: ['world'] }], readers: [{ email: 'late@example.com', topics: ['world'] }] });
    expect(await app.runDigest({ now })).toMatchObject({ planned: 0, skipped: 1, sent: 0 });
    expect((await app.store.deliveries.list())[0]).toMatchObject({ status: 'skipped', reason: 'late' });
  });

  it('does not plan paused readers', async () => {
    const now = new Date('2026-11-27T08:00:00Z');
    const { readerIds } = await seedWorld(app, now, { articles: [{ title: 'News', topics: ['world'] }], readers: [{ email: 'p@example.com', topics: ['world'] }] });
    await app.store.subscribers.updateProfile(readerIds[0]!, { paused: true }, now.toISOString());
    expect(await app.runDigest({ now })).toMatchObject({ planned: 0, skipped: 0 });
  });
});

describe.each(testDialects())('two processes on one database, on %s', (dialect) => {
  const database = databasePerTest(dialect);
  /** An app over a clean database of this dialect. */
  const freshApp = async () => {
    const { dir } = tempDir();
    return digestApp({ DATABASE_URL: await database.cleanUrl(dir) }, dir);
  };
  it('never run the digest at once: the second is refused while the first holds the lock', async () => {
    const a = await freshApp();
    // Held the way another process holds it: withLock is the lease on SQLite and an advisory lock
    // on its own connection on PostgreSQL, so a bare lease row would not block a PostgreSQL run.
    const other = await a.store.locks.withLock('digest-planner', 'other-process', 60, async () => {
      const err = await a.runDigest({ now: new Date(), force: true }).catch((e: Error) => e);
      expect((err as { code?: string }).code).toBe('LOCK_HELD');
    });
    expect(other.held).toBe(true);
    await expect(a.runDigest({ now: new Date(), force: true })).resolves.toMatchObject({ planned: 0 });
    await a.close();
  });

  it('a second plan of the same day inserts nothing (unique subscriber/day)', async () => {
    const app = await freshApp();
    const now = new Date('2026-11-27T08:00:00Z');
    const { readerIds } = await seedWorld(app, now, { articles: [{ title: 'N', topics: ['world'] }], readers: [{ email: 'x@example.com', topics: ['world'] }] });
    const row = { subscriberId: readerIds[0]!, localDate: '2026-11-27', status: 'skipped' as const, editionKey: null, windowStart: now.toISOString(), windowEnd: now.toISOString(), reason: 'empty' };
    expect(await app.store.plans.insertPlanned([row], now.toISOString())).toBe(1);
    expect(await app.store.plans.insertPlanned([row], now.toISOString())).toBe(0);
    await app.close();
  });
});
