import type { Db } from './database.js';

/** A stored, rendered edition (personal-field tokens still in place). */
export interface StoredEdition {
  key: string;
  localDate: string;
  topics: string[];
  subject: string;
  html: string;
  text: string;
  articleIds: number[];
  createdAt: string;
}

/** A line of the public archive. */
export interface EditionSummary {
  key: string;
  localDate: string;
  topics: string[];
  subject: string;
}

/** Rendered editions: written once by the planner, read by senders and the web archive. */
export class EditionRepository {
  constructor(private readonly db: Db) {}

  /** Stores an edition unless one with the same key exists (equal key means equal content). */
  async saveIfAbsent(e: Omit<StoredEdition, 'createdAt'>, now: string): Promise<void> {
    await this.db
      .insertInto('editions')
      .values({
        key: e.key,
        local_date: e.localDate,
        topics: e.topics.join(','),
        subject: e.subject,
        html: e.html,
        text: e.text,
        article_ids: JSON.stringify(e.articleIds),
        created_at: now,
      })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
  }

  /** Whether an edition with this key is stored. */
  async exists(key: string): Promise<boolean> {
    return (await this.db.selectFrom('editions').select('key').where('key', '=', key).executeTakeFirst()) !== undefined;
  }

  /** The article ids a stored edition holds (what its email carried), or undefined when it is not stored. */
  async articleIds(key: string): Promise<number[] | undefined> {
    const r = await this.db.selectFrom('editions').select('article_ids').where('key', '=', key).executeTakeFirst();
    return r ? (JSON.parse(r.article_ids) as number[]) : undefined;
  }

  /** One edition by key. */
  async get(key: string): Promise<StoredEdition | undefined> {
    const r = await this.db.selectFrom('editions').selectAll().where('key', '=', key).executeTakeFirst();
    if (!r) return undefined;
    return {
      key: r.key,
      localDate: r.local_date,
      topics: r.topics ? r.topics.split(',') : [],
      subject: r.subject,
      html: r.html,
      text: r.text,
      articleIds: JSON.parse(r.article_ids) as number[],
      createdAt: r.created_at,
    };
  }

  /** Whether this edition reached at least one reader, i.e. may be shown in the public archive. */
  async wasSent(key: string): Promise<boolean> {
    const r = await this.db
      .selectFrom('deliveries')
      .select('id')
      .where('edition_key', '=', key)
      .where('status', '=', 'sent')
      .limit(1)
      .executeTakeFirst();
    return r !== undefined;
  }

  /** Editions that reached at least one reader, newest first: what the public archive lists. */
  async listSent(limit = 100, offset = 0): Promise<EditionSummary[]> {
    const rows = await this.db
      .selectFrom('editions')
      .select(['key', 'local_date', 'topics', 'subject'])
      .where('key', 'in', (eb) => eb.selectFrom('deliveries').select('edition_key').where('status', '=', 'sent').where('edition_key', 'is not', null).$narrowType<{ edition_key: string }>())
      .orderBy('local_date', 'desc')
      .orderBy('created_at', 'desc')
      // Editions of one day are often saved in the same millisecond; without a unique last key the
      // order of those ties is up to the database (PostgreSQL varies it), and paging could show an
      // edition twice and skip another.
      .orderBy('key')
      .limit(limit)
      .offset(offset)
      .execute();
    return rows.map((r) => ({ key: r.key, localDate: r.local_date, topics: r.topics ? r.topics.split(',') : [], subject: r.subject }));
  }
}
