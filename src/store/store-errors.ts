import type { DatabaseConnection, Dialect, Driver, QueryResult } from 'kysely';
import { AppError, redactUrl } from '../errors.js';
import type { DatabaseConfig } from '../config.js';

/**
 * Turns the store's environmental failures (damaged file, read-only file, disk full, server gone,
 * missing database) into one STORE_FAILED error that names the file or URL (password hidden) and
 * says what to do. Query mistakes and constraint violations pass through untouched: callers
 * handle those, and they are bugs rather than an operator's problem.
 */

interface Known {
  what: string;
  hint: string;
}

const FILE_HINT = 'check DATABASE_URL, and that the file and its folder exist and are writable by this user (WAL also writes <file>-wal and <file>-shm beside it)';

/** SQLite result codes (better-sqlite3's `code`), matched by prefix so extended codes count too. */
const SQLITE: Array<[RegExp, Known]> = [
  [/^SQLITE_FULL/, { what: 'disk full', hint: 'free space on the disk that holds the database (or move it with DATABASE_URL), then run again' }],
  [/^SQLITE_IOERR/, { what: 'input/output error', hint: 'check the disk (space, health, a network mount that went away), then run again' }],
  [/^SQLITE_READONLY/, { what: 'the database is read-only', hint: FILE_HINT }],
  [/^SQLITE_(CANTOPEN|PERM|AUTH)/, { what: 'cannot open the database file', hint: FILE_HINT }],
  [/^SQLITE_(NOTADB|CORRUPT)/, { what: 'the file is not a SQLite database or is damaged', hint: 'restore it from a backup, or point DATABASE_URL at another file (a missing file is created fresh)' }],
  [/^SQLITE_(BUSY|LOCKED)/, { what: 'the database stayed locked by another process', hint: 'stop the other process using this file, or retry' }],
];

const PG_HINT = 'check DATABASE_URL (user, password, host, port, database) and that the server is running';

/** PostgreSQL SQLSTATEs and Node socket codes that mean "the store is unusable", not "your query is wrong". */
const POSTGRES: Record<string, Known> = {
  '3D000': { what: 'the database does not exist', hint: 'create it (createdb <name>) or fix the database name in DATABASE_URL' },
  '28P01': { what: 'password authentication failed', hint: PG_HINT },
  '28000': { what: 'the server refused this user', hint: PG_HINT },
  '42501': { what: 'permission denied', hint: 'grant this user rights on the database (it creates and alters its own tables)' },
  '53100': { what: 'disk full on the database server', hint: 'free space on the PostgreSQL server, then run again' },
  '53200': { what: 'the database server ran out of memory', hint: 'check the PostgreSQL server, then run again' },
  '53300': { what: 'the database server has too many connections', hint: 'raise max_connections or run fewer workers' },
  '25006': { what: 'the database is read-only (a standby?)', hint: 'point DATABASE_URL at the primary server' },
  '57P01': { what: 'the database server was shut down', hint: PG_HINT },
  '57P02': { what: 'the database server crashed', hint: PG_HINT },
  '57P03': { what: 'the database server is starting up or shutting down', hint: 'wait for it and run again' },
  ECONNREFUSED: { what: 'connection refused', hint: PG_HINT },
  ENOTFOUND: { what: 'host not found', hint: PG_HINT },
  EAI_AGAIN: { what: 'host name lookup failed', hint: PG_HINT },
  ETIMEDOUT: { what: 'connection timed out', hint: PG_HINT },
  EHOSTUNREACH: { what: 'host unreachable', hint: PG_HINT },
  ECONNRESET: { what: 'connection reset by the server', hint: PG_HINT },
};

/** File-system codes from the files kept beside a SQLite store (folders, lock files). */
const FILES: Record<string, Known> = {
  ENOSPC: SQLITE[0]![1],
  EDQUOT: { what: 'disk quota exceeded', hint: 'free space or raise the quota, then run again' },
  EROFS: { what: 'the file system is read-only', hint: FILE_HINT },
  EACCES: { what: 'permission denied', hint: FILE_HINT },
  EPERM: { what: 'permission denied', hint: FILE_HINT },
};

const PG_LOST = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i;

/** Where the store lives, as error messages may show it: the file path, or the URL without its password. */
export function describeStore(config: DatabaseConfig): string {
  return config.kind === 'sqlite' ? `SQLite database ${config.path}` : `PostgreSQL ${redactUrl(config.url)}`;
}

/** What an environmental store failure means, or undefined for any other error. */
function classify(err: unknown): Known | undefined {
  if (!(err instanceof Error)) return undefined;
  const raw = (err as { code?: unknown }).code;
  const code = typeof raw === 'string' ? raw : '';
  if (code.startsWith('SQLITE_')) return SQLITE.find(([re]) => re.test(code))?.[1];
  if (POSTGRES[code]) return POSTGRES[code];
  if (FILES[code]) return FILES[code];
  if (PG_LOST.test(err.message)) return { what: 'lost the connection to the server', hint: PG_HINT };
  return undefined;
}

/** A STORE_FAILED error for `err` when it is an environmental failure; `err` itself otherwise. */
export function storeFailure(err: unknown, where: string): unknown {
  if (err instanceof AppError) return err;
  const known = classify(err);
  if (!known) return err;
  return new AppError('STORE_FAILED', `${where}: ${known.what}`, { cause: err, hint: known.hint });
}

/** True for SQLite's "no transaction is active": SQLite already rolled back on its own (disk full, I/O error). */
function isAutoRolledBack(err: unknown): boolean {
  return err instanceof Error && /no transaction is active/i.test(err.message);
}

/**
 * Wraps a Kysely dialect so every error its driver raises goes through {@link storeFailure}.
 * A failed ROLLBACK after SQLite already rolled back is swallowed, so the operator sees the real
 * cause ("disk full") instead of "cannot rollback - no transaction is active".
 */
export function withStoreErrors(dialect: Dialect, where: string): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createDriver: () => wrapDriver(dialect.createDriver(), where),
  };
}

function wrapDriver(driver: Driver, where: string): Driver {
  // Kept lean, since every query passes through: one `.catch`, and one wrapper per connection.
  const rethrow = (err: unknown): never => {
    throw storeFailure(err, where);
  };
  const guard = <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return run().catch(rethrow);
    } catch (err) {
      return Promise.reject(storeFailure(err, where));
    }
  };
  const wrapperOf = new WeakMap<DatabaseConnection, DatabaseConnection>();
  const innerOf = new WeakMap<DatabaseConnection, DatabaseConnection>();
  const wrap = (conn: DatabaseConnection): DatabaseConnection => {
    const known = wrapperOf.get(conn);
    if (known) return known;
    const wrapped: DatabaseConnection = {
      // Kysely's SQLite connection throws synchronously, PostgreSQL's rejects: guard catches both.
      executeQuery: <R>(q: Parameters<DatabaseConnection['executeQuery']>[0]) => guard(() => conn.executeQuery<R>(q)),
      streamQuery: <R>(q: Parameters<DatabaseConnection['streamQuery']>[0], chunkSize?: number) => streamGuarded<R>(conn, q, chunkSize, where),
    };
    wrapperOf.set(conn, wrapped);
    innerOf.set(wrapped, conn);
    return wrapped;
  };
  const unwrap = (c: DatabaseConnection) => innerOf.get(c) ?? c;
  return {
    init: () => guard(() => driver.init()),
    acquireConnection: () => driver.acquireConnection().then(wrap, rethrow),
    beginTransaction: (c, settings) => guard(() => driver.beginTransaction(unwrap(c), settings)),
    commitTransaction: (c) => guard(() => driver.commitTransaction(unwrap(c))),
    rollbackTransaction: (c) =>
      guard(() =>
        driver.rollbackTransaction(unwrap(c)).catch((err: unknown) => {
          if (!isAutoRolledBack(err)) throw err;
        }),
      ),
    ...(driver.savepoint ? { savepoint: (c, name, compile) => guard(() => driver.savepoint!(unwrap(c), name, compile)) } : {}),
    ...(driver.rollbackToSavepoint ? { rollbackToSavepoint: (c, name, compile) => guard(() => driver.rollbackToSavepoint!(unwrap(c), name, compile)) } : {}),
    ...(driver.releaseSavepoint ? { releaseSavepoint: (c, name, compile) => guard(() => driver.releaseSavepoint!(unwrap(c), name, compile)) } : {}),
    releaseConnection: (c) => driver.releaseConnection(unwrap(c)),
    destroy: () => driver.destroy(),
  };
}

async function* streamGuarded<R>(conn: DatabaseConnection, q: Parameters<DatabaseConnection['streamQuery']>[0], chunkSize: number | undefined, where: string): AsyncIterableIterator<QueryResult<R>> {
  try {
    yield* conn.streamQuery<R>(q, chunkSize);
  } catch (err) {
    throw storeFailure(err, where);
  }
}
