import { sql, type Kysely } from 'kysely';
import { withIdColumn } from './dialect-helpers.js';

/**
 * Two things the exactly-once promise needed:
 * - an index over the rows leased right now (lease_until is cleared once a row is settled), so a
 *   run can find every owner holding rows and take over the dead ones' at once;
 * - the transactional mail queue: confirmation, welcome and already-subscribed emails are
 *   stored by the page and sent by the sender, so a stalled relay never holds a page.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('deliveries_leased_idx')
    .on('deliveries')
    .columns(['lease_owner', 'status'])
    .where(sql.ref('lease_until'), 'is not', null)
    .execute();

  await withIdColumn(db, db.schema.createTable('mail_queue'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('to_name', 'text')
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('html', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('queued','sending','sent','failed')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text')
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('mail_queue_due_idx').on('mail_queue').columns(['status', 'next_attempt_at']).execute();
}

/** Drops the queue and the index. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('mail_queue').execute();
  await db.schema.dropIndex('deliveries_leased_idx').execute();
}
