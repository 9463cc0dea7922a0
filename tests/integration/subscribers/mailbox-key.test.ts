import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSubscriberText } from '../../../src/subscribers/subscriber-file.js';
import { importSubscribers } from '../../../src/subscriptions/import-subscribers.js';
import { migrateToLatest } from '../../../src/store/database.js';
import { migrationProvider } from '../../../src/store/migrations/index.js';
import { openStore, type Store } from '../../../src/store/store.js';
import { databasePerTest, freshDatabaseUrl, testDialects } from '../../helpers/dialects.js';
import { tempDir, testConfig } from '../../helpers/env.js';

/** One mailbox is one reader: addresses match whatever their case, on each dialect. */

const T0 = '2026-01-05T08:00:00.000Z';
const reader = (email: string, topics = ['world']) => ({ email, name: null, timezone: null, topics, status: 'active' as const });

describe.each(testDialects())('mailbox key on %s', (dialect) => {
  const database = databasePerTest(dialect);
  let store: Store;
  let cleanup: () => void;

  beforeEach(async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    store = await openStore(testConfig(t.dir, { DATABASE_URL: await database.cleanUrl(t.dir) }).database);
    await store.topics.upsert(['world', 'tech', 'sport'].map((slug, position) => ({ slug, name: slug, description: null, keywords: [], position })), T0);
  });
  afterEach(async () => {
    await store.close();
    cleanup();
  });

  it('a case variant finds and updates the same reader, who keeps the address as first typed', async () => {
    const first = await store.subscribers.upsert(reader('Ann.Lee@Example.COM'), T0);
    const again = await store.subscribers.upsert(reader('ann.lee@example.com', ['tech']), T0);
    expect(again).toEqual({ id: first.id, inserted: false });
    expect(await store.subscribers.count()).toBe(1);
    const found = await store.subscribers.findByEmail('ANN.LEE@EXAMPLE.COM');
    expect(found).toMatchObject({ id: first.id, email: 'Ann.Lee@Example.COM', topics: ['tech'] });
    expect(found!.publicId).toMatch(/^[0-9a-f]{20}$/);
    expect(found!.publicId).not.toBe(String(first.id));
  });

  it('the unique index refuses a second row for the mailbox even if code forgets to look', async () => {
    await store.subscribers.upsert(reader('bob@example.com'), T0);
    const dup = store.db
      .insertInto('subscribers')
      .values({ email: 'BOB@example.com', email_key: 'bob@example.com', public_id: 'a'.repeat(20), status: 'active', signing_key: 'k', created_at: T0, updated_at: T0, name: null, timezone: null, confirmed_at: T0, unsubscribed_at: null })
      .execute();
    await expect(dup).rejects.toThrow();
  });

  it('an import merges a case variant into the stored reader, and reports a case duplicate inside the file', async () => {
    await store.subscribers.upsert(reader('Cy@Example.com'), T0);
    const opts = { status: 'active' as const, skipInvalid: true, now: T0, source: 'readers.csv' };
    const r = await importSubscribers(store, parseSubscriberText('email,topics\ncy@example.com,tech\nDee@example.com,world\ndee@EXAMPLE.com,sport\n', 'csv'), opts);
    expect(r).toMatchObject({ added: 1, updated: 1 });
    expect(r.invalid.map((i) => i.reason)).toEqual([expect.stringContaining('duplicate')]);
    expect((await store.subscribers.list()).map((s) => [s.email, s.topics.join()])).toEqual([
      ['Cy@Example.com', 'tech'],
      ['Dee@example.com', 'world'],
    ]);
  });

  it('remove and --only style lookups work in any case', async () => {
    await store.subscribers.upsert(reader('Eve@Example.com'), T0);
    expect(await store.subscribers.remove('eve@example.com')).toBe(true);
    expect(await store.subscribers.count()).toBe(0);
  });
});

describe.each(testDialects())('migration 007 on %s', (dialect) => {
  let db: Kysely<any>;
  let dropDatabase: () => Promise<void>;
  let cleanup: () => void;

  beforeEach(async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const fresh = await freshDatabaseUrl(dialect, t.dir);
    dropDatabase = fresh.cleanup;
    db = new Kysely<any>({
      dialect:
        dialect === 'sqlite'
          ? new SqliteDialect({ database: sqliteWithForeignKeys(fresh.url.slice('sqlite:'.length)) })
          : new PostgresDialect({ pool: new pg.Pool({ connectionString: fresh.url, max: 2 }) }),
    });
    const { error } = await new Migrator({ db, provider: migrationProvider }).migrateTo('005-derive-sent-articles');
    expect(error).toBeUndefined();
  });
  afterEach(async () => {
    await db.destroy();
    await dropDatabase();
    cleanup();
  });

  async function addReader(email: string, fields: Record<string, unknown>): Promise<number> {
    const row = await db
      .insertInto('subscribers')
      .values({ email, name: null, status: 'active', timezone: null, signing_key: 'k', created_at: T0, updated_at: T0, confirmed_at: T0, unsubscribed_at: null, ...fields })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  it('merges readers that differ only in case into the oldest, moving topics and history, and reports it', async () => {
    await db.insertInto('topics').values(['world', 'tech'].map((slug, position) => ({ slug, name: slug, keywords: '[]', position, created_at: T0, updated_at: T0 }))).execute();
    await db.insertInto('editions').values({ key: 'ed', local_date: '2026-01-01', topics: '[]', subject: 's', html: 'h', text: 't', article_ids: '[]', created_at: T0 }).execute();
    const newer = await addReader('ann@example.com', { created_at: '2026-01-03T00:00:00.000Z', name: 'Ann', timezone: 'Europe/Paris' });
    const oldest = await addReader('Ann@Example.com', { created_at: '2026-01-01T00:00:00.000Z' });
    const other = await addReader('bob@example.com', {});
    await db.insertInto('subscriber_topics').values([{ subscriber_id: oldest, topic_slug: 'world' }, { subscriber_id: newer, topic_slug: 'tech' }, { subscriber_id: newer, topic_slug: 'world' }]).execute();
    const delivery = (subscriber_id: number, local_date: string) => ({ subscriber_id, local_date, status: 'sent', edition_key: 'ed', window_start: T0, window_end: T0, planned_at: T0 });
    await db.insertInto('deliveries').values([delivery(oldest, '2026-01-03'), delivery(newer, '2026-01-03'), delivery(newer, '2026-01-04')]).execute();

    const notes: Array<Record<string, unknown>> = [];
    await migrateToLatest(db, (message, fields) => notes.push({ message, ...fields }));

    const readers = await db.selectFrom('subscribers').select(['id', 'email', 'email_key', 'public_id', 'name', 'timezone']).orderBy('id').execute();
    expect(readers.map((r) => [r.id, r.email, r.email_key])).toEqual([
      [oldest, 'Ann@Example.com', 'ann@example.com'],
      [other, 'bob@example.com', 'bob@example.com'],
    ]);
    expect(readers[0]).toMatchObject({ name: 'Ann', timezone: 'Europe/Paris' });
    expect(new Set(readers.map((r) => r.public_id)).size).toBe(2);
    for (const r of readers) expect(r.public_id).toMatch(/^[0-9a-f]{20}$/);
    const topics = await db.selectFrom('subscriber_topics').select('topic_slug').where('subscriber_id', '=', oldest).orderBy('topic_slug').execute();
    expect(topics.map((t) => t.topic_slug)).toEqual(['tech', 'world']);
    const days = await db.selectFrom('deliveries').select(['subscriber_id', 'local_date']).orderBy('local_date').execute();
    expect(days.map((d) => [Number(d.subscriber_id), d.local_date])).toEqual([
      [oldest, '2026-01-03'],
      [oldest, '2026-01-04'],
    ]);
    expect(notes).toEqual([
      expect.objectContaining({ message: expect.stringContaining('merged'), kept: 'Ann@Example.com', merged: ['ann@example.com'], movedDeliveries: 1, droppedDuplicateDays: 1 }),
    ]);
  });

  it('an unconfirmed second signup never demotes the active reader; a later unsubscribe wins', async () => {
    await addReader('Cy@example.com', { created_at: '2026-01-01T00:00:00.000Z', confirmed_at: '2026-01-01T00:00:00.000Z' });
    await addReader('cy@example.com', { created_at: '2026-01-02T00:00:00.000Z', status: 'pending', confirmed_at: null });
    await addReader('dee@example.com', { created_at: '2026-01-01T00:00:00.000Z', confirmed_at: '2026-01-01T00:00:00.000Z' });
    await addReader('DEE@example.com', { created_at: '2026-01-02T00:00:00.000Z', status: 'unsubscribed', unsubscribed_at: '2026-01-04T00:00:00.000Z' });
    await migrateToLatest(db);
    const rows = await db.selectFrom('subscribers').select(['email', 'status']).orderBy('id').execute();
    expect(rows).toEqual([
      { email: 'Cy@example.com', status: 'active' },
      { email: 'dee@example.com', status: 'unsubscribed' },
    ]);
  });
});

/** A SQLite file opened as the app opens it: foreign keys enforced, so deletes cascade. */
function sqliteWithForeignKeys(path: string): BetterSqlite3.Database {
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('foreign_keys = ON');
  return sqlite;
}
