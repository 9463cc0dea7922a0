import { sql, type Kysely } from 'kysely';
import { isPostgres, withIdColumn } from './dialect-helpers.js';

/**
 * Readers' choices (how often and at what hour), story priority for weekly editions, and the
 * data-protection tables: consent evidence with the wording shown, an erasure log, and per-day
 * delivery counts that survive the pruning of old ledger rows.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('subscribers')
    .addColumn('frequency', 'text', (c) => c.notNull().defaultTo('daily').check(sql`frequency in ('daily','weekdays','weekly')`))
    .execute();
  // Lower-case English weekday name, only meaningful for weekly readers.
  await db.schema.alterTable('subscribers').addColumn('weekday', 'text').execute();
  // HH:MM on the half hour; null means DIGEST_SEND_TIME.
  await db.schema.alterTable('subscribers').addColumn('send_time', 'text').execute();
  // Set on the stub row an erasure leaves behind for the ledger; the row holds no personal data.
  await db.schema.alterTable('subscribers').addColumn('erased_at', 'text').execute();

  await db.schema.alterTable('articles').addColumn('priority', isPostgres(db) ? 'double precision' : 'real').execute();

  await db.schema
    .createTable('consent_wordings')
    .addColumn('version', 'text', (c) => c.primaryKey())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await withIdColumn(db, db.schema.createTable('consent_records'))
    .addColumn('subscriber_id', 'integer', (c) => c.notNull().references('subscribers.id').onDelete('cascade'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('wording_version', 'text', (c) => c.references('consent_wordings.version'))
    .addColumn('details', 'text')
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('consent_records_subscriber_idx').on('consent_records').column('subscriber_id').execute();

  await withIdColumn(db, db.schema.createTable('erasures'))
    .addColumn('email_hash', 'text', (c) => c.notNull())
    .addColumn('erased_at', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('delivery_day_counts')
    .addColumn('local_date', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('delivery_day_counts_pk', ['local_date', 'status'])
    .execute();
}

/** Drops what this migration added. */
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['delivery_day_counts', 'erasures', 'consent_records', 'consent_wordings']) await db.schema.dropTable(t).execute();
  await db.schema.alterTable('articles').dropColumn('priority').execute();
  for (const c of ['erased_at', 'send_time', 'weekday', 'frequency']) await db.schema.alterTable('subscribers').dropColumn(c).execute();
}
