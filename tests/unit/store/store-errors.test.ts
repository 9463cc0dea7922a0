import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { AppError, formatError, redactUrl } from '../../../src/errors.js';
import { describeStore, storeFailure, withStoreErrors } from '../../../src/store/store-errors.js';

describe('withStoreErrors', () => {
  it('reports SQLITE_FULL inside a transaction as "disk full", not as the failed rollback', async () => {
    const sqlite = new BetterSqlite3(':memory:');
    // A page budget is SQLite's own way to run out of room, as a full disk does.
    sqlite.pragma('max_page_count = 20');
    const db = new Kysely<any>({ dialect: withStoreErrors(new SqliteDialect({ database: sqlite }), 'SQLite database /x.db') });
    await sql`create table t (v text)`.execute(db);
    const fill = db.transaction().execute(async (trx) => {
      for (let i = 0; i < 200; i++) await trx.insertInto('t').values({ v: 'x'.repeat(4000) }).execute();
    });
    const err = await fill.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('STORE_FAILED');
    expect(formatError(err)).toMatch(/SQLite database \/x\.db: disk full/);
    expect(formatError(err)).not.toMatch(/rollback/);
    await db.destroy();
  });

  it('lets a constraint violation through untouched: that is the caller\'s to handle', async () => {
    const db = new Kysely<any>({ dialect: withStoreErrors(new SqliteDialect({ database: new BetterSqlite3(':memory:') }), 'here') });
    await sql`create table t (v text unique)`.execute(db);
    await db.insertInto('t').values({ v: 'a' }).execute();
    const err = await db.insertInto('t').values({ v: 'a' }).execute().catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(AppError);
    expect((err as { code: string }).code).toBe('SQLITE_CONSTRAINT_UNIQUE');
    await db.destroy();
  });
});

describe('storeFailure', () => {
  it('maps PostgreSQL codes and lost connections', () => {
    const missing = Object.assign(new Error('database "x" does not exist'), { code: '3D000' });
    expect((storeFailure(missing, 'PostgreSQL here') as AppError).message).toBe('PostgreSQL here: the database does not exist');
    expect((storeFailure(new Error('Connection terminated unexpectedly'), 'pg') as AppError).code).toBe('STORE_FAILED');
    const syntax = Object.assign(new Error('syntax error'), { code: '42601' });
    expect(storeFailure(syntax, 'pg')).toBe(syntax);
  });
});

describe('redactUrl', () => {
  it('hides the password of every URL in a message', () => {
    expect(redactUrl('cannot reach postgres://ann:hunter2@db:5432/news and smtp://u:p%40ss@mail:25')).toBe('cannot reach postgres://ann:***@db:5432/news and smtp://u:***@mail:25');
  });
  it('hides a password that holds a raw @ whole', () => {
    expect(redactUrl('postgresql://ann:p@ss@db/news')).toBe('postgresql://ann:***@db/news');
  });
  it('leaves URLs without a password alone', () => {
    expect(redactUrl('postgres://db:5432/news smtp://relay:25 https://a.example/x?y=1')).toBe('postgres://db:5432/news smtp://relay:25 https://a.example/x?y=1');
  });
  it('describeStore hides the password of a PostgreSQL URL', () => {
    expect(describeStore({ kind: 'postgres', url: 'postgres://ann:hunter2@db/news' })).toBe('PostgreSQL postgres://ann:***@db/news');
  });
});
