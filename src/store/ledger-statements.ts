import { CompiledQuery } from 'kysely';
import type { Db } from './database.js';
import { isPostgres } from './dialect.js';

/**
 * The statements the send loop runs for every message (claim before the SMTP transaction, the
 * outcome after it), written once as SQL. Built through Kysely's query builder they cost about
 * as much to build and compile as SQLite takes to run them, on every call.
 *
 * They still run through Kysely's driver, not on the raw better-sqlite3 handle: the driver lets
 * one statement or transaction at a time use the connection, and a statement slipped in while a
 * transaction (say, a signup) is open would join it, so a rollback there could erase a `sent`
 * record and the message would go out again. On SQLite the driver's statement cache (see
 * withStatementCache in database.ts) prepares each text once per connection and reuses it;
 * PostgreSQL gets the same text with `$n` placeholders.
 */
const SQLITE = {
  claim: `update "deliveries" set "status" = 'sending', "sending_at" = ?, "message_id" = ?, "lease_owner" = ?, "lease_until" = ?, "attempts" = "attempts" + 1 where "id" = ? and "status" = 'planned' and "lease_owner" = ?`,
  // The claim wrote the Message-ID; checking it here (not writing it again) spares an index update.
  markSent: `update "deliveries" set "status" = 'sent', "finished_at" = ?, "error" = null, "lease_until" = null where "id" = ? and "status" = 'sending' and "lease_owner" = ? and "message_id" = ?`,
  markFailed: `update "deliveries" set "status" = 'failed', "error" = ?, "finished_at" = ?, "lease_until" = null where "id" = ?`,
  release: `update "deliveries" set "status" = 'planned', "error" = ? where "id" = ? and "status" = 'sending'`,
  markUncertain: `update "deliveries" set "lease_until" = null, "error" = ? where "id" = ? and "status" = 'sending' and "lease_owner" = ?`,
} as const;

/** The name of one per-message ledger statement. */
export type LedgerStatement = keyof typeof SQLITE;

/** The same statements with PostgreSQL's numbered placeholders. */
const POSTGRES = Object.fromEntries(
  Object.entries(SQLITE).map(([name, text]) => {
    let n = 0;
    return [name, text.replace(/\?/g, () => `$${++n}`)];
  }),
) as Record<LedgerStatement, string>;

/** Runs the per-message statements of one store handle; returns rows changed. */
export type LedgerStatements = (name: LedgerStatement, parameters: readonly unknown[]) => Promise<number>;

/** Binds the statement texts of `db`'s dialect, chosen once. */
export function ledgerStatements(db: Db): LedgerStatements {
  const texts = isPostgres(db) ? POSTGRES : SQLITE;
  return async (name, parameters) => {
    const r = await db.executeQuery(CompiledQuery.raw(texts[name], [...parameters]));
    return Number(r.numAffectedRows ?? 0);
  };
}

