import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { beforeEach, describe, expect, it } from 'vitest';
import { DeliveryLedger } from '../../../src/store/delivery-ledger.js';
import { DeliveryPlans } from '../../../src/store/delivery-plans.js';
import type { Database } from '../../../src/store/schema.js';
import type { Store } from '../../../src/store/store.js';
import { testDialects } from '../../helpers/dialects.js';
import { storePerTest } from '../../helpers/store-per-test.js';

// The send path must cost the same per message at 20k readers as at 1M: no statement it runs may
// scan the subscribers. Every query the ledger issues while sending is captured as compiled SQL
// and explained on the real database, with enough rows (and fresh statistics) that PostgreSQL's
// planner would pick a scan if the query let it.

const READERS = 3000;
const T0 = new Date('2026-11-27T08:00:00.000Z');

/** Readers, an edition and one planned row each, in bulk: the plan shape needs volume, not realism. */
async function seed(store: Store): Promise<void> {
  const db = store.db;
  await store.editions.saveIfAbsent({ key: 'ed-1', localDate: '2026-11-27', topics: [], subject: 'S', html: '<p>h</p>', text: 't', articleIds: [] }, T0.toISOString());
  const now = T0.toISOString();
  for (let i = 0; i < READERS; i += 500) {
    const rows = Array.from({ length: Math.min(500, READERS - i) }, (_, k) => ({
      email: `r${i + k}@example.com`,
      email_key: `r${i + k}@example.com`,
      public_id: (i + k).toString(16).padStart(20, '0'),
      name: null,
      status: (i + k) % 10 === 0 ? 'unsubscribed' : 'active',
      signing_key: 'k',
      created_at: now,
      updated_at: now,
    }));
    await db.insertInto('subscribers').values(rows as never).execute();
  }
  await sql`insert into deliveries (subscriber_id, local_date, status, edition_key, window_start, window_end, planned_at)
            select id, '2026-11-27', 'planned', 'ed-1', ${now}, ${now}, ${now} from subscribers`.execute(db);
  await sql`analyze`.execute(db);
}

function loggedDb(dialect: string, url: string, captured: CompiledQuery[]): Kysely<Database> {
  const log = (e: { level: string; query: CompiledQuery }) => void captured.push(e.query);
  if (dialect === 'postgres') return new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2 }) }), log });
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: new BetterSqlite3(url.slice('sqlite:'.length)) }), log });
}

async function planOf(db: Kysely<Database>, dialect: string, q: CompiledQuery): Promise<string> {
  const prefix = dialect === 'postgres' ? 'EXPLAIN ' : 'EXPLAIN QUERY PLAN ';
  const r = await db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(prefix + q.sql, [...q.parameters]));
  return r.rows.map((row) => String(row['QUERY PLAN'] ?? row['detail'])).join('\n');
}

describe.each(testDialects())('send-path query plans on %s', (dialect) => {
  const fresh = storePerTest(dialect);
  let store: Store;
  let url: string;

  beforeEach(async () => {
    store = fresh.store();
    url = fresh.url();
    await seed(store);
  });

  it('claims, sends and records without scanning the subscribers', async () => {
    const captured: CompiledQuery[] = [];
    const db = loggedDb(dialect, url, captured);
    try {
      const ledger = new DeliveryLedger(db);
      // skipUndeliverable runs once per run, not per message; with every reader planned a hash
      // join over the list is PostgreSQL's right call, so only the per-message statements count.
      const jobs = await ledger.claimBatch('w1', 50, 60, T0);
      expect(jobs).toHaveLength(50);
      expect(await ledger.claimBatch('w2', 5, 60, T0, 'r2999@example.com')).toHaveLength(1);
      const [a, b, c] = jobs;
      expect(await ledger.claim(a!.id, 'w1', '<m1@x>', 60, T0)).toBe(true);
      expect(await ledger.markSent(a!.id, 'w1', '<m1@x>', T0.toISOString())).toBe(true);
      await ledger.claim(b!.id, 'w1', '<m2@x>', 60, T0);
      await ledger.release(b!.id, 'try later');
      await ledger.claim(c!.id, 'w1', '<m3@x>', 60, T0);
      await ledger.markFailed(c!.id, 'rejected', T0.toISOString());

      const statements = captured.filter((q) => !/^\s*(analyze|explain)/i.test(q.sql));
      expect(statements.length).toBeGreaterThanOrEqual(9);
      expect(statements.some((q) => /exists/i.test(q.sql))).toBe(true);
      // The per-message statements (written once, run prepared) are among those explained.
      for (const set of [`"status" = 'sending'`, `"status" = 'sent'`, `"status" = 'planned', "error"`, `"status" = 'failed'`]) {
        expect(statements.some((q) => q.sql.startsWith(`update "deliveries" set ${set}`)), set).toBe(true);
      }
      for (const q of statements) {
        const plan = await planOf(db, dialect, q);
        // SQLite: "SCAN subscribers" (or "SCAN s"); PostgreSQL: "Seq Scan on subscribers".
        expect(plan, q.sql).not.toMatch(/SCAN (subscribers|s)\b|Seq Scan on subscribers/i);
        if (/subscribers/.test(q.sql)) expect(plan, q.sql).toMatch(/subscribers|\bs\b/);
      }
    } finally {
      await db.destroy();
    }
  });

  it('plans each page by probing its readers, never walking every planned or sent row', async () => {
    // Planning runs while the sender works through the rows already planned, so a page's reads
    // must not grow with them: at 200,000 readers two of them took 90 ms a page by walking
    // deliveries_claim_idx (status first), quadratic in the list. SQLite has no statistics on a
    // first run, which is when it chose so: they are dropped here.
    if (dialect === 'sqlite') await sql`delete from sqlite_stat1`.execute(store.db);
    await sql`update deliveries set status = 'sent' where id % 3 = 0`.execute(store.db);
    const captured: CompiledQuery[] = [];
    const db = loggedDb(dialect, url, captured);
    try {
      const plans = new DeliveryPlans(db);
      const ids = Array.from({ length: 40 }, (_, i) => i * 7 + 1);
      await plans.existingFor(ids.map((subscriberId) => ({ subscriberId, localDate: '2026-11-28' })), { reopenLate: true });
      await plans.lastSentWindowEnd(ids);
      await plans.oldestPlannedWindowStart(ids);
      await plans.carriedOverWindowStart(ids, 'too few stories');
      await plans.sentArticles(ids, [1, 2, 3], '2026-11-20T00:00:00.000Z');
      expect(await plans.supersedeOlderPlanned(ids.map((subscriberId) => ({ subscriberId, localDate: '2026-11-28' })), T0.toISOString())).toBeGreaterThan(0);
      const statements = captured.filter((q) => /deliveries/.test(q.sql) && !/^\s*(analyze|explain)/i.test(q.sql));
      expect(statements.length).toBeGreaterThanOrEqual(6);
      for (const q of statements) {
        const plan = await planOf(db, dialect, q);
        expect(plan, q.sql).not.toMatch(/deliveries_claim_idx/);
        // PostgreSQL may read a 3,000-row table whole, which it would not do with a large one;
        // SQLite's plan says outright whether it searched by subscriber or scanned.
        if (dialect === 'sqlite') expect(plan, q.sql).not.toMatch(/SCAN (deliveries|d|s)\b/);
      }
    } finally {
      await db.destroy();
    }
  });

  it('still leaves out readers who left, and honours one address, with the probe', async () => {
    const jobs = await store.ledger.claimBatch('w1', READERS, 60, T0);
    // Every tenth reader unsubscribed: they are not claimed.
    expect(jobs).toHaveLength(READERS - READERS / 10);
    expect(jobs.every((j) => Number(j.email.slice(1, -12)) % 10 !== 0)).toBe(true);
    expect(await store.ledger.claimBatch('w2', 5, 60, new Date(T0.getTime() + 120_000), 'r10@example.com')).toEqual([]);
    const skipped = await store.ledger.skipUndeliverable(T0.toISOString());
    expect(skipped).toBe(READERS / 10);
  });
});
