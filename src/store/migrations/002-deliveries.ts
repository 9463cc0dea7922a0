import { sql, type Kysely } from 'kysely';
import { withIdColumn } from '../dialect.js';

/**
 * The delivery ledger and rendered editions. One delivery row per (subscriber, local date) is
 * what makes sending exactly-once: the unique constraint refuses a second plan for the same day.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('editions')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('local_date', 'text', (c) => c.notNull())
    .addColumn('topics', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('html', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('article_ids', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('editions_date_idx').on('editions').column('local_date').execute();

  await withIdColumn(db, db.schema.createTable('deliveries'))
    .addColumn('subscriber_id', 'integer', (c) => c.notNull().references('subscribers.id').onDelete('cascade'))
    .addColumn('local_date', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('planned','sending','sent','failed','skipped')`))
    .addColumn('edition_key', 'text', (c) => c.references('editions.key'))
    .addColumn('window_start', 'text', (c) => c.notNull())
    .addColumn('window_end', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('message_id', 'text')
    .addColumn('error', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('planned_at', 'text', (c) => c.notNull())
    .addColumn('sending_at', 'text')
    .addColumn('finished_at', 'text')
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'text')
    .addUniqueConstraint('deliveries_subscriber_day_uq', ['subscriber_id', 'local_date'])
    .execute();
  await db.schema.createIndex('deliveries_status_idx').on('deliveries').columns(['status', 'id']).execute();

  await db.schema
    .createTable('sent_articles')
    .addColumn('subscriber_id', 'integer', (c) => c.notNull().references('subscribers.id').onDelete('cascade'))
    .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('delivery_id', 'integer', (c) => c.notNull().references('deliveries.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('sent_articles_pk', ['subscriber_id', 'article_id'])
    .execute();

  await db.schema
    .createTable('locks')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
}

/** Drops the ledger tables. */
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['locks', 'sent_articles', 'deliveries', 'editions']) await db.schema.dropTable(t).execute();
}
