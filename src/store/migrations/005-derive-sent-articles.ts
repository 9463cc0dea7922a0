import type { Kysely } from 'kysely';

/**
 * Which articles a reader was sent is now derived from the ledger and the stored editions (each
 * edition lists exactly the articles its email held), so recording a delivery is a single UPDATE.
 * The per-article table that duplicated that is dropped.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sent_articles').execute();
}

/** Recreates the table (empty: its content is derivable from deliveries and editions). */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sent_articles')
    .addColumn('subscriber_id', 'integer', (c) => c.notNull().references('subscribers.id').onDelete('cascade'))
    .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('delivery_id', 'integer', (c) => c.notNull().references('deliveries.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('sent_articles_pk', ['subscriber_id', 'article_id'])
    .execute();
}
