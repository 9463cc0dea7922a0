import { describe, expect, it } from 'vitest';
import type { App } from '../../../src/main.js';
import { appPerTest } from '../../helpers/app-per-test.js';
import { testDialects } from '../../helpers/dialects.js';

let app: App;

describe.each(testDialects())('consent and privacy repositories on %s', (dialect) => {
  appPerTest(dialect, (a) => {
    app = a;
  });

  const reader = async (email: string, status: 'active' | 'pending' = 'active', at = '2026-11-01T00:00:00.000Z') =>
    (await app.store.subscribers.upsert({ email, name: 'N', timezone: 'UTC', topics: ['world'], status, choices: { frequency: 'weekly', weekday: 'monday', sendTime: '08:00' } }, at)).id;

  it('keeps consent records with their wording version, stored once', async () => {
    const id = await reader('c@example.com');
    const wording = { version: 'v1', text: 'We send the digest.' };
    await app.store.consent.record({ subscriberId: id, action: 'signup', source: 'web:signup', ip: '203.0.113.0/24', userAgent: 'UA', wording, details: { a: 1 }, at: '2026-11-01T00:00:00Z' });
    await app.store.consent.record({ subscriberId: id, action: 'confirm', source: 'web:confirm', ip: null, userAgent: null, wording, details: null, at: '2026-11-02T00:00:00Z' });
    expect(await app.store.consent.listFor(id)).toEqual([
      { action: 'signup', source: 'web:signup', at: '2026-11-01T00:00:00Z', ip: '203.0.113.0/24', userAgent: 'UA', wordingVersion: 'v1', wording: 'We send the digest.', details: { a: 1 } },
      expect.objectContaining({ action: 'confirm', wording: 'We send the digest.', details: null }),
    ]);
    expect(await app.store.db.selectFrom('consent_wordings').selectAll().execute()).toHaveLength(1);
  });

  it('erases to a stub that keeps the ledger, and frees the address', async () => {
    const id = await reader('e@example.com');
    await app.store.plans.insertPlanned([{ subscriberId: id, localDate: '2026-11-02', status: 'skipped', editionKey: null, windowStart: 'a', windowEnd: 'b', reason: 'empty' }], '2026-11-02T00:00:00Z');
    await app.store.db.updateTable('deliveries').set({ error: '550 <E@example.com> unknown' }).execute();
    await app.store.transaction((tx) => tx.privacy.erase(id, 'e@example.com', 'f'.repeat(64), 'test', '2026-11-03T00:00:00Z'));
    const stub = await app.store.subscribers.findById(id);
    expect(stub).toMatchObject({ email: `erased:${id}:${'f'.repeat(64)}`, name: null, topics: [], status: 'unsubscribed' });
    expect((await app.store.privacy.deliveriesOf(id))[0]).toMatchObject({ status: 'skipped', error: `550 <[erased ffffffffffff]> unknown` });
    expect(await app.store.subscribers.list()).toEqual([]);
    expect((await reader('e@example.com')) === id).toBe(false);
  });

  it('prunes finished rows to per-day counts, adding to earlier counts, and deletes stale pending signups', async () => {
    const a = await reader('a@example.com');
    const b = await reader('b@example.com');
    const row = (subscriberId: number, localDate: string) => ({ subscriberId, localDate, status: 'skipped' as const, editionKey: null, windowStart: 'a', windowEnd: 'b', reason: 'empty' });
    await app.store.plans.insertPlanned([row(a, '2025-01-01'), row(b, '2025-01-01')], 'now');
    expect(await app.store.privacy.pruneDeliveries('2025-06-01')).toBe(2);
    await app.store.plans.insertPlanned([row(a, '2025-01-01'), row(a, '2026-01-01')], 'now');
    expect(await app.store.transaction((tx) => tx.privacy.pruneDeliveries('2025-06-01'))).toBe(1);
    expect(await app.store.privacy.dayCounts()).toEqual([{ localDate: '2025-01-01', status: 'skipped', count: 3 }]);

    await reader('old-pending@example.com', 'pending', '2026-09-01T00:00:00.000Z');
    await reader('new-pending@example.com', 'pending', '2026-11-20T00:00:00.000Z');
    expect(await app.store.privacy.deleteStalePending('2026-10-31T00:00:00.000Z')).toBe(1);
    expect((await app.store.subscribers.list({ status: 'pending' })).map((s) => s.email)).toEqual(['new-pending@example.com']);
  });
});
