import type { Kysely } from 'kysely';
import { withIdColumn } from './dialect-helpers.js';

/**
 * Bounces and complaints that come back after the SMTP session: the ledger row they concern
 * records when and why, a suppression list keeps dead addresses and complainers from being
 * mailed again, and every report read is kept once (by fingerprint) so reading it twice changes
 * nothing.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('deliveries')
    .addColumn('bounced_at', 'text')
    .execute();
  // One column per statement: SQLite's ALTER TABLE adds one at a time.
  await db.schema.alterTable('deliveries').addColumn('bounce_type', 'text').execute();
  await db.schema.alterTable('deliveries').addColumn('complained_at', 'text').execute();
  await db.schema.alterTable('deliveries').addColumn('feedback', 'text').execute();
  // Reports that lost their VERP address are matched by the Message-ID they return.
  await db.schema.createIndex('deliveries_message_id_idx').on('deliveries').column('message_id').execute();

  await db.schema
    .createTable('suppressions')
    .addColumn('email', 'text', (c) => c.primaryKey())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await withIdColumn(db, db.schema.createTable('feedback_events'))
    .addColumn('fingerprint', 'text', (c) => c.notNull().unique())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text')
    .addColumn('delivery_id', 'integer', (c) => c.references('deliveries.id').onDelete('set null'))
    .addColumn('subscriber_id', 'integer', (c) => c.references('subscribers.id').onDelete('set null'))
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('feedback_events_received_idx').on('feedback_events').columns(['received_at', 'kind']).execute();
}

/** Drops the feedback tables and columns. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('feedback_events').execute();
  await db.schema.dropTable('suppressions').execute();
  await db.schema.dropIndex('deliveries_message_id_idx').execute();
  for (const c of ['feedback', 'complained_at', 'bounce_type', 'bounced_at']) await db.schema.alterTable('deliveries').dropColumn(c).execute();
}
