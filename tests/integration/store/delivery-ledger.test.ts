import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SubscriberInput } from '../../../src/model/subscriber.js';
import { migrateToLatest, withStatementCache, type Db } from '../../../src/store/database.js';
import { DeliveryLedger } from '../../../src/store/delivery-ledger.js';
import type { Database } from '../../../src/store/schema.js';
import { openStore, type Store } from '../../../src/store/store.js';
import { testDialects } from '../../helpers/dialects.js';
import { tempDir, testConfig } from '../../helpers/env.js';
import { storePerTest } from '../../helpers/store-per-test.js';

// The per-message statements are written as SQL once (ledger-statements.ts), so the guards that
// make the ledger exactly-once live in hand-written WHERE clauses: each is checked here, on each
// dialect, by a transition it must refuse.

const T0 = new Date('2026-11-27T08:00:00.000Z');
const reader = (email: string): SubscriberInput => ({ email, name: null, timezone: null, topics: [], status: 'active' });

async function plannedRows(store: Store, emails: string[]): Promise<number[]> {
  await store.editions.saveIfAbsent({ key: 'ed-1', localDate: '2026-11-27', topics: ['world'], subject: 'S', html: '<p>h</p>', text: 't', articleIds: [] }, T0.toISOString());
  const ids: number[] = [];
  for (const e of emails) ids.push((await store.subscribers.upsert(reader(e), T0.toISOString())).id);
  const window = { windowStart: T0.toISOString(), windowEnd: T0.toISOString(), reason: null, editionKey: 'ed-1', status: 'planned' as const };
  await store.plans.insertPlanned(ids.map((subscriberId) => ({ subscriberId, localDate: '2026-11-27', ...window })), T0.toISOString());
  return (await store.ledger.claimBatch('w1', emails.length, 60, T0)).map((j) => j.id);
}

const row = (store: Store, id: number) =>
  store.db.selectFrom('deliveries').select(['status', 'message_id', 'lease_owner', 'lease_until', 'attempts', 'error', 'finished_at', 'sending_at']).where('id', '=', id).executeTakeFirstOrThrow();

/** The store's handle, counting every query-builder entry point the code under test calls. */
function countingBuilder(db: Db): { db: Db; built: () => number } {
  let built = 0;
  const entry = new Set(['selectFrom', 'updateTable', 'insertInto', 'deleteFrom', 'with', 'selectNoFrom']);
  const proxy = new Proxy(db, {
    get(target, prop) {
      if (typeof prop === 'string' && entry.has(prop)) built++;
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { db: proxy, built: () => built };
}

describe.each(testDialects())('the delivery ledger on %s', (dialect) => {
  const fresh = storePerTest(dialect);
  let store: Store;
  beforeEach(() => {
    store = fresh.store();
  });

  it('claims only a planned row this owner leased, once, and records it only for its claimant', async () => {
    const [a] = await plannedRows(store, ['a@example.com']);
    expect(await store.ledger.claim(a!, 'w2', '<x@y>', 60, T0)).toBe(false); // leased to w1, not w2
    expect(await store.ledger.markSent(a!, 'w1', '<x@y>', T0.toISOString())).toBe(false); // not claimed yet
    expect(await store.ledger.claim(a!, 'w1', '<m1@y>', 60, T0)).toBe(true);
    expect(await row(store, a!)).toMatchObject({ status: 'sending', message_id: '<m1@y>', lease_owner: 'w1', lease_until: '2026-11-27T08:01:00.000Z', attempts: 1, sending_at: T0.toISOString() });
    expect(await store.ledger.claim(a!, 'w1', '<m2@y>', 60, T0)).toBe(false); // already sending: no second send
    expect(await store.ledger.markSent(a!, 'w2', '<m1@y>', T0.toISOString())).toBe(false);
    // Only the message it claimed with: a record for another Message-ID is not this send's.
    expect(await store.ledger.markSent(a!, 'w1', '<other@y>', T0.toISOString())).toBe(false);
    expect(await store.ledger.markSent(a!, 'w1', '<m1@y>', '2026-11-27T08:00:05.000Z')).toBe(true);
    expect(await row(store, a!)).toMatchObject({ status: 'sent', lease_until: null, error: null, finished_at: '2026-11-27T08:00:05.000Z' });
    expect(await store.ledger.markSent(a!, 'w1', '<m1@y>', T0.toISOString())).toBe(false); // recorded once
    expect(await store.ledger.markUncertain(a!, 'w1', 'late')).toBe(false); // a sent row never turns uncertain
  });

  it('releases a failed attempt back to planned under the same lease, and counts every attempt', async () => {
    const [a] = await plannedRows(store, ['a@example.com']);
    await store.ledger.claim(a!, 'w1', '<m1@y>', 60, T0);
    await store.ledger.release(a!, '421 try later');
    expect(await row(store, a!)).toMatchObject({ status: 'planned', lease_owner: 'w1', error: '421 try later', attempts: 1 });
    await store.ledger.release(a!, 'twice'); // only a sending row goes back
    expect((await row(store, a!)).error).toBe('421 try later');
    expect(await store.ledger.claim(a!, 'w1', '<m2@y>', 60, T0)).toBe(true);
    expect((await row(store, a!)).attempts).toBe(2);
    await store.ledger.markFailed(a!, '550 no such user', T0.toISOString());
    expect(await row(store, a!)).toMatchObject({ status: 'failed', error: '550 no such user', lease_until: null, finished_at: T0.toISOString() });
  });

  it('leaves a row uncertain only for the sender that was sending it', async () => {
    const [a] = await plannedRows(store, ['a@example.com']);
    expect(await store.ledger.markUncertain(a!, 'w1', 'no reply')).toBe(false); // still planned
    await store.ledger.claim(a!, 'w1', '<m1@y>', 60, T0);
    expect(await store.ledger.markUncertain(a!, 'w2', 'no reply')).toBe(false);
    expect(await store.ledger.markUncertain(a!, 'w1', 'no reply after DATA')).toBe(true);
    expect(await row(store, a!)).toMatchObject({ status: 'sending', lease_until: null, error: 'no reply after DATA' });
    expect((await store.deliveries.listUncertain()).map((u) => u.id)).toEqual([a]);
  });

  it('runs the per-message statements without building a query each time', async () => {
    const ids = await plannedRows(store, ['a@example.com', 'b@example.com', 'c@example.com']);
    const counting = countingBuilder(store.db);
    const ledger = new DeliveryLedger(counting.db);
    for (const [i, id] of ids.entries()) {
      expect(await ledger.claim(id, 'w1', `<m${i}@y>`, 60, T0)).toBe(true);
      if (i === 0) expect(await ledger.markSent(id, 'w1', '<m0@y>', T0.toISOString())).toBe(true);
      if (i === 1) await ledger.release(id, 'later');
      if (i === 2) expect(await ledger.markUncertain(id, 'w1', 'no reply')).toBe(true);
    }
    await ledger.markFailed(ids[1]!, 'rejected', T0.toISOString());
    expect(counting.built()).toBe(0);
    // The batch claim still goes through the builder: the proxy does count what it sees.
    await ledger.claimBatch('w1', 1, 60, T0);
    expect(counting.built()).toBeGreaterThan(0);
  });
});

describe('the per-message statements on SQLite', () => {
  it('are prepared once per connection and reused for every message', async () => {
    const t = tempDir();
    const sqlite = new BetterSqlite3(`${t.dir}/prepared.db`);
    const prepared: string[] = [];
    const prepare = sqlite.prepare.bind(sqlite);
    sqlite.prepare = ((text: string) => (prepared.push(text), prepare(text))) as typeof sqlite.prepare;
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
    try {
      await migrateToLatest(db);
      const store = await openStore(testConfig(t.dir, { DATABASE_URL: `sqlite:${t.dir}/prepared.db` }).database);
      const ids = await plannedRows(store, Array.from({ length: 20 }, (_, i) => `r${i}@example.com`)).finally(() => store.close());
      const ledger = new DeliveryLedger(db);
      for (const id of ids) {
        expect(await ledger.claim(id, 'w1', `<${id}@y>`, 60, T0)).toBe(true);
        expect(await ledger.markSent(id, 'w1', `<${id}@y>`, T0.toISOString())).toBe(true);
      }
      const perMessage = prepared.filter((text) => /^update "deliveries" set "(status|lease_until)"/.test(text));
      expect(perMessage).toHaveLength(2);
    } finally {
      await db.destroy();
      t.cleanup();
    }
  });
});
