import type { Kysely } from 'kysely';
import { withIdColumn } from './dialect-helpers.js';

/**
 * One row per webhook delivery attempt. `webhook_deliveries` keeps only a delivery's latest
 * answer; the console's delivery log shows every attempt (when, which number, status code or
 * error, when the next try is due), so an operator can see how an endpoint has been behaving.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await withIdColumn(db, db.schema.createTable('webhook_attempts'))
    .addColumn('delivery_id', 'integer', (c) => c.notNull().references('webhook_deliveries.id').onDelete('cascade'))
    // Denormalised so a webhook's log and its last success/failure need no join.
    .addColumn('webhook_id', 'integer', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('attempted_at', 'text', (c) => c.notNull())
    .addColumn('http_status', 'integer')
    // Null when the endpoint answered 2xx.
    .addColumn('error', 'text')
    // When the retry is due; null when delivered or given up.
    .addColumn('next_attempt_at', 'text')
    .execute();
  await db.schema.createIndex('webhook_attempts_webhook_idx').on('webhook_attempts').columns(['webhook_id', 'id']).execute();
  await db.schema.createIndex('webhook_attempts_delivery_idx').on('webhook_attempts').column('delivery_id').execute();
}

/** Drops the attempt log. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('webhook_attempts').execute();
}
