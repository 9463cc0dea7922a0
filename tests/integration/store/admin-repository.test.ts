import { describe, expect, it } from 'vitest';
import { testDialects } from '../../helpers/dialects.js';
import { storePerTest } from '../../helpers/store-per-test.js';

/** The console's store on SQLite and PostgreSQL: one-time tokens, sessions, pause, counts, search. */

const T0 = new Date('2026-11-20T08:00:00Z');
const MIN = 60_000;

describe.each(testDialects())('AdminRepository on %s', (dialect) => {
  const s = storePerTest(dialect);
  const admin = () => s.store().admin;

  it('a login token works once, only before it expires, and only the hash is stored', async () => {
    const token = await admin().createLoginToken('a@example.com', T0, 15 * MIN);
    const late = await admin().createLoginToken('a@example.com', T0, 15 * MIN);
    expect(await admin().consumeLoginToken(token, new Date(T0.getTime() + 14 * MIN))).toBe('a@example.com');
    expect(await admin().consumeLoginToken(token, new Date(T0.getTime() + 14 * MIN))).toBeUndefined();
    expect(await admin().consumeLoginToken(late, new Date(T0.getTime() + 15 * MIN))).toBeUndefined();
    expect(await admin().consumeLoginToken('x'.repeat(43), T0)).toBeUndefined();
    const rows = await s.store().db.selectFrom('admin_login_tokens').select('token_hash').execute();
    expect(rows.map((r) => r.token_hash)).not.toContain(token);
  });

  it('two racing uses of one token: exactly one wins', async () => {
    const token = await admin().createLoginToken('a@example.com', T0, 15 * MIN);
    const results = await Promise.all(Array.from({ length: 5 }, () => admin().consumeLoginToken(token, T0)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('sessions last their TTL and end on delete', async () => {
    const a = await admin().createSession('a@example.com', T0, 12 * 60 * MIN);
    const b = await admin().createSession('b@example.com', T0, 12 * 60 * MIN);
    expect(await admin().findSession(a, new Date(T0.getTime() + 12 * 60 * MIN - 1))).toBe('a@example.com');
    expect(await admin().findSession(a, new Date(T0.getTime() + 12 * 60 * MIN))).toBeUndefined();
    await admin().deleteSession(a);
    expect(await admin().findSession(a, T0)).toBeUndefined();
    expect(await admin().findSession(b, T0)).toBe('b@example.com');
  });

  it('the pause switch records who and when', async () => {
    expect(await admin().pauseState()).toEqual({ paused: false });
    await admin().setPaused(true, 'a@example.com', T0);
    await admin().setPaused(true, 'b@example.com', T0);
    expect(await admin().pauseState()).toEqual({ paused: true, by: 'b@example.com', at: T0.toISOString() });
    await admin().setPaused(false, 'b@example.com', T0);
    expect(await admin().pauseState()).toEqual({ paused: false });
  });

  it('counts a day by status, uncertain apart from in-flight, skipped by reason', async () => {
    const store = s.store();
    const ids: number[] = [];
    for (let i = 0; i < 8; i++) ids.push((await store.subscribers.upsert({ email: `r${i}@example.com`, name: null, timezone: 'UTC', topics: [], status: 'active' }, T0.toISOString())).id);
    const row = (i: number, local_date: string, status: 'planned' | 'sending' | 'sent' | 'failed' | 'skipped', extra: object = {}) => ({
      subscriber_id: ids[i]!,
      local_date,
      status,
      window_start: T0.toISOString(),
      window_end: T0.toISOString(),
      planned_at: T0.toISOString(),
      ...extra,
    });
    await store.db
      .insertInto('deliveries')
      .values([
        row(0, '2026-11-20', 'sent'),
        row(1, '2026-11-20', 'sent'),
        row(2, '2026-11-20', 'failed'),
        row(3, '2026-11-20', 'sending', { lease_owner: 'x', lease_until: '2026-11-20T09:00:00Z' }),
        row(4, '2026-11-20', 'sending'),
        row(5, '2026-11-20', 'skipped', { reason: 'empty' }),
        row(6, '2026-11-20', 'skipped', { reason: 'late' }),
        row(7, '2026-11-20', 'planned'),
        row(0, '2026-11-19', 'sent'),
      ])
      .execute();
    expect(await admin().dayCounts('2026-11-20')).toEqual({
      planned: 1,
      sending: 1,
      uncertain: 1,
      sent: 2,
      failed: 1,
      skipped: [
        { reason: 'empty', count: 1 },
        { reason: 'late', count: 1 },
      ],
    });
  });

  it('search matches address or name, treating LIKE wildcards literally', async () => {
    const store = s.store();
    await store.subscribers.upsert({ email: 'ann_lee@example.com', name: 'Ann 100% Lee', timezone: null, topics: [], status: 'active' }, T0.toISOString());
    await store.subscribers.upsert({ email: 'annxlee@example.com', name: 'Other', timezone: null, topics: [], status: 'active' }, T0.toISOString());
    expect((await admin().searchSubscribers('ANN_', 10)).map((h) => h.email)).toEqual(['ann_lee@example.com']);
    expect((await admin().searchSubscribers('100%', 10)).map((h) => h.email)).toEqual(['ann_lee@example.com']);
    expect((await admin().searchSubscribers('other', 10)).map((h) => h.email)).toEqual(['annxlee@example.com']);
    expect(await admin().searchSubscribers('\\', 10)).toEqual([]);
  });

  it('lists editions newest first with the readers each was sent to', async () => {
    const store = s.store();
    const edition = (key: string, local_date: string, ids: number[]) => ({ key, local_date, topics: 'world,tech', subject: key, html: '<p>x</p>', text: 'x', article_ids: JSON.stringify(ids), created_at: T0.toISOString() });
    await store.db.insertInto('editions').values([edition('e-old', '2026-11-19', [1]), edition('e-new', '2026-11-20', [1, 2, 3])]).execute();
    const a = (await store.subscribers.upsert({ email: 'a@example.com', name: null, timezone: 'UTC', topics: [], status: 'active' }, T0.toISOString())).id;
    const b = (await store.subscribers.upsert({ email: 'b@example.com', name: null, timezone: 'UTC', topics: [], status: 'active' }, T0.toISOString())).id;
    const d = (subscriber_id: number, status: 'sent' | 'failed', local_date = '2026-11-20') => ({ subscriber_id, local_date, status, edition_key: 'e-new', window_start: '', window_end: '', planned_at: '' });
    await store.db.insertInto('deliveries').values([d(a, 'sent'), d(b, 'failed')]).execute();
    expect(await admin().listEditions(10)).toEqual([
      { key: 'e-new', localDate: '2026-11-20', subject: 'e-new', topics: ['world', 'tech'], readers: 1, stories: 3 },
      { key: 'e-old', localDate: '2026-11-19', subject: 'e-old', topics: ['world', 'tech'], readers: 0, stories: 1 },
    ]);
  });
});
