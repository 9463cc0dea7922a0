import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';

/** The databases the store supports, as test parameters. */
export type TestDialect = 'sqlite' | 'postgres';

/** A database created for a test, and how to get rid of it. */
export interface FreshDatabase {
  /** A `DATABASE_URL` value for the app. */
  url: string;
  /** Removes the database (PostgreSQL: drops it, closing any connection still open). */
  cleanup: () => Promise<void>;
}

/**
 * The dialects the store tests run on: SQLite always, PostgreSQL when `TEST_DATABASE_URL` names a
 * server. In CI a missing `TEST_DATABASE_URL` is an error, not a skip: a green run must mean the
 * PostgreSQL half ran too (`.ci/postgres.sh` provides the server).
 */
export function testDialects(): TestDialect[] {
  if (process.env.TEST_DATABASE_URL) return ['sqlite', 'postgres'];
  if (process.env.CI) {
    throw new Error('CI is set but TEST_DATABASE_URL is not: the PostgreSQL store tests would be skipped. Run .ci/postgres.sh and export the URL it prints.');
  }
  return ['sqlite'];
}

function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set; PostgreSQL tests need a server (see .ci/postgres.sh)');
  return url;
}

/** Runs statements on the server `TEST_DATABASE_URL` names, on a short-lived connection. */
async function onServer(url: string, statements: (client: pg.Client) => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  // A connection the server drops between statements must not surface as an unhandled 'error' event.
  client.on('error', () => undefined);
  await client.connect();
  try {
    await statements(client);
  } finally {
    await client.end();
  }
}

/**
 * A database no other test touches. SQLite: a new file in `dir`. PostgreSQL: `CREATE DATABASE
 * td_<random>` on the `TEST_DATABASE_URL` server, so parallel test files never share tables; the
 * cleanup drops it `WITH (FORCE)` so a connection a failed test left open cannot keep it alive.
 */
export async function freshDatabaseUrl(dialect: TestDialect, dir: string): Promise<FreshDatabase> {
  const name = `td_${randomBytes(6).toString('hex')}`;
  if (dialect === 'sqlite') return { url: `sqlite:${join(dir, `${name}.db`)}`, cleanup: async () => undefined };
  const admin = adminUrl();
  // The name is ours (hex), so quoting it as an identifier is all the escaping it needs.
  await onServer(admin, (c) => c.query(`CREATE DATABASE "${name}"`).then(() => undefined));
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    cleanup: () => onServer(admin, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).then(() => undefined)),
  };
}

/**
 * Empties every application table of a PostgreSQL database and restarts its id sequences, leaving
 * the schema and Kysely's migration bookkeeping in place: the next app sees what a freshly migrated
 * database looks like (ids from 1, no topics, no settings) without the cost of a new database.
 */
export async function truncatePostgres(url: string): Promise<void> {
  await onServer(url, async (c) => {
    const { rows } = await c.query<{ name: string }>(
      "select quote_ident(tablename) as name from pg_tables where schemaname = current_schema() and tablename not like 'kysely\\_%'",
    );
    if (rows.length > 0) await c.query(`TRUNCATE ${rows.map((r) => r.name).join(', ')} RESTART IDENTITY CASCADE`);
  });
}

/** A clean database for each test of one describe block; see {@link databasePerTest}. */
export interface TestDatabase {
  /** A `DATABASE_URL` with nothing in it yet; `dir` holds SQLite files. */
  cleanUrl(dir: string): Promise<string>;
}

/**
 * Call inside a `describe` block: each test gets an empty database of `dialect`. SQLite makes a new
 * file per test (cheap). PostgreSQL creates one database for the block (`beforeAll`), truncates it
 * before each test and drops it after the block, because creating a database per test would make
 * the suite crawl on two cores.
 */
export function databasePerTest(dialect: TestDialect): TestDatabase {
  let shared: FreshDatabase | undefined;
  if (dialect === 'postgres') {
    beforeAll(async () => {
      shared = await freshDatabaseUrl('postgres', '');
    });
    afterAll(async () => {
      await shared?.cleanup();
    });
  }
  return {
    async cleanUrl(dir: string) {
      if (dialect === 'sqlite') return (await freshDatabaseUrl('sqlite', dir)).url;
      if (!shared) throw new Error('databasePerTest: the PostgreSQL database was not created (call it inside a describe block)');
      await truncatePostgres(shared.url);
      return shared.url;
    },
  };
}
