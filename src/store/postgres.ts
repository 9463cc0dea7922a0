import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import { AppError, messageOf } from '../errors.js';
import { storeFailure, withStoreErrors } from './store-errors.js';
import type { Database } from './schema.js';

/**
 * Opens PostgreSQL through a small pool. The schema keeps timestamps as ISO text and counts as
 * numbers, so PostgreSQL's bigint results (which `pg` returns as strings) are parsed to numbers:
 * no count here comes near 2^53.
 */
export async function openPostgres(url: string, where: string, poolSize = 10): Promise<Kysely<Database>> {
  pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 10_000 });
  // An idle pooled connection that the server ends (restart, failover, pg_terminate_backend,
  // idle_session_timeout) is reported as an 'error' event on the pool; with no listener Node turns
  // it into an uncaught exception and the whole process dies. The pool has already discarded that
  // connection and the next query opens a new one, so there is nothing to do here; a server that
  // stays down still fails the next query loudly.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    client.release();
  } catch (cause) {
    await pool.end().catch(() => undefined);
    const known = storeFailure(cause, where);
    if (known instanceof AppError) throw known;
    throw new AppError('STORE_FAILED', `${where}: cannot connect (${messageOf(cause)})`, {
      cause,
      hint: 'check DATABASE_URL (user, password, host, port, database) and that the server is running',
    });
  }
  return new Kysely<Database>({ dialect: withStoreErrors(new PostgresDialect({ pool }), where) });
}
