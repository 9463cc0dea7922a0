import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A throwaway PostgreSQL database made by {@link createBenchDatabase}. */
export interface BenchDatabase {
  /** A `DATABASE_URL` for the new database (same server and credentials as the one given). */
  url: string;
  name: string;
  /** The server's version string (`SHOW server_version`). */
  serverVersion: string;
  /** Drops the database, closing any connection still open on it. */
  drop(): Promise<void>;
}

async function onServer<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates `td_bench_<random>` on the server `serverUrl` points at (its role needs CREATEDB), so
 * every measurement starts from an empty, freshly migrated database and never touches the
 * database named in the URL.
 */
export async function createBenchDatabase(serverUrl: string): Promise<BenchDatabase> {
  const name = `td_bench_${randomBytes(5).toString('hex')}`;
  // The name is ours (hex), so quoting it as an identifier is all the escaping it needs.
  const serverVersion = await onServer(serverUrl, async (c) => {
    await c.query(`CREATE DATABASE "${name}"`);
    return (await c.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
  });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    serverVersion,
    drop: () => onServer(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).then(() => undefined)),
  };
}
