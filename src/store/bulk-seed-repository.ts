import { sql, type Insertable } from 'kysely';
import { chunked } from './chunks.js';
import type { Db } from './database.js';
import { isPostgres } from './dialect.js';
import type { ArticlesTable, SubscribersTable } from './schema.js';

/** Rows per multi-row INSERT when seeding: a subscriber binds 12 values, so 500 bind 6,000. */
const SEED_BATCH = 500;
/** Topic links bind two values each. */
const LINK_BATCH = 2000;

/**
 * Bulk writes for seeding large synthetic data sets (the benchmark): whole rows in batched
 * multi-row INSERTs, skipping the per-row checks of the normal repositories. Not for real input:
 * nothing here validates, deduplicates or records consent. Call inside `Store.transaction()` to
 * commit many batches at once.
 */
export class BulkSeedRepository {
  constructor(private readonly db: Db) {}

  /** Inserts articles with their topic links (slugs must exist). */
  async insertArticles(rows: { row: Insertable<ArticlesTable>; topics: string[] }[]): Promise<void> {
    for (const batch of chunked(rows, SEED_BATCH)) {
      const ids = await this.db.insertInto('articles').values(batch.map((r) => r.row)).returning('id').execute();
      const links = batch.flatMap((r, j) => r.topics.map((topic_slug) => ({ article_id: Number(ids[j]!.id), topic_slug })));
      for (const chunk of chunked(links, LINK_BATCH)) await this.db.insertInto('article_topics').values(chunk).execute();
    }
  }

  /** The id the next subscriber would get, so rows can be written with known ids. */
  async nextSubscriberId(): Promise<number> {
    const r = await this.db.selectFrom('subscribers').select((eb) => eb.fn.max('id').as('m')).executeTakeFirst();
    return Number(r?.m ?? 0) + 1;
  }

  /** Inserts subscribers with explicit ids and their topic links; returns how many links were written. */
  async insertSubscribers(rows: { row: Insertable<SubscribersTable> & { id: number }; topics: string[] }[]): Promise<number> {
    let links = 0;
    for (const batch of chunked(rows, SEED_BATCH)) {
      await this.db.insertInto('subscribers').values(batch.map((r) => r.row)).execute();
      const topicRows = batch.flatMap((r) => r.topics.map((topic_slug) => ({ subscriber_id: r.row.id, topic_slug })));
      for (const chunk of chunked(topicRows, LINK_BATCH)) await this.db.insertInto('subscriber_topics').values(chunk).execute();
      links += topicRows.length;
    }
    return links;
  }

  /**
   * After subscribers were written with explicit ids: PostgreSQL's serial sequence does not see
   * those, so it is moved past them (SQLite's autoincrement already follows the largest id).
   */
  async afterExplicitSubscriberIds(): Promise<void> {
    if (isPostgres(this.db)) await sql`select setval(pg_get_serial_sequence('subscribers', 'id'), (select max(id) from subscribers))`.execute(this.db);
  }
}
