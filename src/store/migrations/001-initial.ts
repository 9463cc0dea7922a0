import { sql, type Kysely } from 'kysely';
import { withIdColumn } from '../dialect.js';

/** Topics, articles, subscribers and the links between them. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('topics')
    .addColumn('slug', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('keywords', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await withIdColumn(db, db.schema.createTable('articles'))
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('url', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text')
    .addColumn('body', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('image_url', 'text')
    .addColumn('image_caption', 'text')
    .addColumn('image_credit', 'text')
    .addColumn('source', 'text')
    .addColumn('published_at', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('articles_first_seen_idx').on('articles').column('first_seen_at').execute();

  await db.schema
    .createTable('article_topics')
    .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('topic_slug', 'text', (c) => c.notNull().references('topics.slug').onDelete('cascade').onUpdate('cascade'))
    .addPrimaryKeyConstraint('article_topics_pk', ['article_id', 'topic_slug'])
    .execute();
  await db.schema.createIndex('article_topics_topic_idx').on('article_topics').column('topic_slug').execute();

  await withIdColumn(db, db.schema.createTable('subscribers'))
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('pending','active','unsubscribed','bounced')`),
    )
    .addColumn('timezone', 'text')
    .addColumn('signing_key', 'text', (c) => c.notNull())
    .addColumn('hard_bounces', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('paused', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('confirmed_at', 'text')
    .addColumn('unsubscribed_at', 'text')
    .execute();

  await db.schema
    .createTable('subscriber_topics')
    .addColumn('subscriber_id', 'integer', (c) => c.notNull().references('subscribers.id').onDelete('cascade'))
    .addColumn('topic_slug', 'text', (c) => c.notNull().references('topics.slug').onDelete('cascade').onUpdate('cascade'))
    .addPrimaryKeyConstraint('subscriber_topics_pk', ['subscriber_id', 'topic_slug'])
    .execute();

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}

/** Drops everything this migration made. */
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['settings', 'subscriber_topics', 'subscribers', 'article_topics', 'articles', 'topics']) {
    await db.schema.dropTable(t).execute();
  }
}
