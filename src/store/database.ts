import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type SqliteDatabase } from 'kysely';
import type { DatabaseConfig } from '../config.js';
import { AppError, isAppError, messageOf } from '../errors.js';
import { migrationProvider } from './migrations/index.js';
import { withMigrationNotes, type MigrationNoteListener } from './migrations/notes.js';
import { describeStore, storeFailure, withStoreErrors } from './store-errors.js';
import type { Database } from './schema.js';

/** The Kysely handle every repository works on. */
export type Db = Kysely<Database>;

/**
 * Opens the configured database and brings its schema up to date. SQLite gets WAL (readers never
 * block the sender) and enforced foreign keys; its parent folder is created on first use.
 * PostgreSQL is used through a connection pool (see postgres.ts).
 */
export async function openDatabase(config: DatabaseConfig, onNote?: MigrationNoteListener): Promise<Db> {
  const where = describeStore(config);
  // PostgreSQL is loaded on use: a SQLite install never needs the pg driver.
  const db =
    config.kind === 'postgres'
      ? await (await import('./postgres.js')).openPostgres(config.url, where)
      : new Kysely<Database>({ dialect: withStoreErrors(new SqliteDialect({ database: withStatementCache(openSqliteFile(config.path, where)) }), where) });
  try {
    await migrateToLatest(db, onNote);
  } catch (err) {
    // Nothing may stay open behind the error: a live pool would keep the process running.
    await db.destroy().catch(() => undefined);
    throw err;
  }
  return db;
}

function openSqliteFile(path: string, where: string): BetterSqlite3.Database {
  let sqlite: BetterSqlite3.Database | undefined;
  try {
    if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
    sqlite = new BetterSqlite3(path);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('synchronous = NORMAL');
    // Reading the schema here finds a damaged or foreign file now, not in the middle of a run.
    sqlite.prepare('select count(*) from sqlite_master').get();
    return sqlite;
  } catch (cause) {
    sqlite?.close();
    const known = storeFailure(cause, where);
    if (known instanceof AppError) throw known;
    throw new AppError('STORE_FAILED', `${where}: cannot open it (${messageOf(cause)})`, {
      cause,
      hint: 'check DATABASE_URL, and that the folder exists or can be created and is writable by this user',
    });
  }
}

/** Prepared statements kept per connection; SQL with long `in (…)` lists varies, so the cache is bounded. */
const STATEMENT_CACHE_SIZE = 200;

/**
 * Kysely's SQLite driver prepares every query anew, which costs more than running the short
 * statements of the send loop. This keeps the most recently used prepared statements by SQL text
 * (least recently used evicted). A statement still being iterated is never handed out twice.
 */
export function withStatementCache(sqlite: BetterSqlite3.Database, size = STATEMENT_CACHE_SIZE): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      const hit = cache.get(sql);
      if (hit && !hit.busy) {
        cache.delete(sql);
        cache.set(sql, hit);
        return hit;
      }
      const stmt = sqlite.prepare(sql);
      if (!hit) {
        if (cache.size >= size) cache.delete(cache.keys().next().value!);
        cache.set(sql, stmt);
      }
      return stmt;
    },
  };
}

/**
 * Applies every pending migration in one go; a failure names the migration and leaves the rest
 * unapplied. `onNote` hears what migrations changed in the data (e.g. merged readers).
 */
export async function migrateToLatest(db: Kysely<any>, onNote?: MigrationNoteListener): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await withMigrationNotes(onNote, () => migrator.migrateToLatest());
  if (error) {
    if (isAppError(error, 'STORE_FAILED')) throw error;
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new AppError('MIGRATION_FAILED', `database migration ${failed} failed`, {
      cause: error,
      hint: 'restore the database from a backup or report the bug; the schema was left at the last good migration',
    });
  }
}
