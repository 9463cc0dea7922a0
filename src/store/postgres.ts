import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import { AppError } from '../errors.js';
import type { Database } from './schema.js';

/**
 * Opens PostgreSQL through a small pool. The schema keeps timestamps as ISO text and counts as
 * numbers, so PostgreSQL's bigint results (which `pg` returns as strings) are parsed to numbers:
 * no count here comes near 2^53.
 */
export async function openPostgres(url: string, poolSize = 10): Promise<Kysely<Database>> {
  pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 10_000 });
  try {
    const client = await pool.connect();
    client.release();
  } catch (cause) {
    await pool.end().catch(() => undefined);
    const shown = new URL(url);
    shown.password = shown.password ? '***' : '';
    throw new AppError('STORE_FAILED', `cannot connect to PostgreSQL at ${shown.host}${shown.pathname}`, {
      cause,
      hint: 'check DATABASE_URL (user, password, host, port, database) and that the server is running',
    });
  }
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
