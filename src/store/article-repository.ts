import type { Article, NewArticle } from '../model/article.js';
import type { Db } from './database.js';
import type { ArticlesTable } from './schema.js';
import type { Selectable } from 'kysely';

/** Filters for {@link ArticleRepository.list}. */
export interface ArticleQuery {
  topic?: string;
  /** ISO time; articles published at or after it. */
  since?: string;
  /** ISO time window on first_seen_at: [firstSeenFrom, firstSeenTo). */
  firstSeenFrom?: string;
  firstSeenTo?: string;
}

/** Reads and writes stored articles and their topic links. */
export class ArticleRepository {
  constructor(private readonly db: Db) {}

  /**
   * Inserts or updates one article by its key, replacing its topic links. Returns whether it was
   * new, and whether anything was written. `first_seen_at` is set on insert only, so a re-import
   * never makes an old story look new; an identical re-import (a feed polled again) writes nothing.
   */
  async upsert(article: NewArticle, now: string): Promise<{ id: number; inserted: boolean; changed: boolean }> {
    const values = {
      url: article.url,
      title: article.title,
      summary: article.summary,
      body: article.body,
      image_url: article.image?.url ?? null,
      image_caption: article.image?.caption ?? null,
      image_credit: article.image?.credit ?? null,
      image_width: article.image?.width ?? null,
      image_height: article.image?.height ?? null,
      source: article.source,
      author: article.author ?? null,
      updated_at: now,
      ...(article.priority !== undefined ? { priority: article.priority } : {}),
    };
    const found = await this.findByKeys([article.key, ...(article.altKeys ?? [])]);
    let id: number;
    if (found) {
      id = found.id;
      if (await this.isUnchanged(found, article, values)) return { id, inserted: false, changed: false };
      await this.db
        .updateTable('articles')
        .set({ ...values, key: article.key, published_at: article.publishedAt ?? found.published_at })
        .where('id', '=', id)
        .execute();
      // Topics an editor fixed by hand outlive every re-poll: only the story's fields are updated.
      if (found.topics_fixed_at !== null) return { id, inserted: false, changed: true };
      await this.db.deleteFrom('article_topics').where('article_id', '=', id).execute();
    } else {
      const row = await this.db
        .insertInto('articles')
        .values({ key: article.key, ...values, published_at: article.publishedAt ?? now, first_seen_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      id = Number(row.id);
    }
    const topics = [...new Set(article.topics)];
    if (topics.length > 0) {
      await this.db
        .insertInto('article_topics')
        .values(topics.map((topic_slug) => ({ article_id: id, topic_slug })))
        .execute();
    }
    return { id, inserted: !found, changed: true };
  }

  /** The stored row under the first of `keys` that matches (the strongest key wins). */
  private async findByKeys(keys: string[]): Promise<Selectable<ArticlesTable> | undefined> {
    const rows = await this.db.selectFrom('articles').selectAll().where('key', 'in', keys).execute();
    return keys.map((k) => rows.find((r) => r.key === k)).find((r) => r !== undefined);
  }

  /** True when storing `article` would change nothing: same key, fields, time and topics. */
  private async isUnchanged(row: Selectable<ArticlesTable>, article: NewArticle, values: Record<string, string | number | null>): Promise<boolean> {
    const same = row.key === article.key && (article.publishedAt ?? row.published_at) === row.published_at;
    if (!same || Object.entries(values).some(([k, v]) => k !== 'updated_at' && row[k as keyof typeof row] !== v)) return false;
    if (row.topics_fixed_at !== null) return true;
    const links = await this.db.selectFrom('article_topics').select('topic_slug').where('article_id', '=', row.id).execute();
    const stored = links.map((l) => l.topic_slug).sort();
    const wanted = [...new Set(article.topics)].sort();
    return stored.length === wanted.length && stored.every((t, i) => t === wanted[i]);
  }

  /**
   * Marks a story withdrawn; returns false when there is no such story. Withdrawing twice is a
   * no-op. Digests already planned with the story but not yet sending lose their ledger row, so the
   * next planner tick plans those readers again, from the same window, without it (the edition
   * key covers the article ids, so the new edition is a new render). Call inside a transaction.
   */
  async withdraw(id: number, now: string): Promise<{ found: boolean; replanned: number }> {
    const found = await this.db.selectFrom('articles').select(['id', 'withdrawn_at']).where('id', '=', id).executeTakeFirst();
    if (!found) return { found: false, replanned: 0 };
    if (found.withdrawn_at === null) await this.db.updateTable('articles').set({ withdrawn_at: now, updated_at: now }).where('id', '=', id).execute();
    const candidates = await this.db.selectFrom('editions').select(['key', 'article_ids']).where('article_ids', 'like', `%${id}%`).execute();
    const keys = candidates.filter((e) => (JSON.parse(e.article_ids) as number[]).includes(id)).map((e) => e.key);
    if (keys.length === 0) return { found: true, replanned: 0 };
    const r = await this.db.deleteFrom('deliveries').where('status', '=', 'planned').where('edition_key', 'in', keys).executeTakeFirst();
    return { found: true, replanned: Number(r.numDeletedRows) };
  }

  /**
   * Sets an article's topics by hand (the console's fix) and marks them so re-imports keep them.
   * Returns false when there is no such article. Call inside a transaction.
   */
  async setTopicsByHand(id: number, topics: string[], by: string, now: string): Promise<boolean> {
    const r = await this.db.updateTable('articles').set({ topics_fixed_at: now, topics_fixed_by: by, updated_at: now }).where('id', '=', id).executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) return false;
    await this.db.deleteFrom('article_topics').where('article_id', '=', id).execute();
    const unique = [...new Set(topics)];
    if (unique.length > 0) await this.db.insertInto('article_topics').values(unique.map((topic_slug) => ({ article_id: id, topic_slug }))).execute();
    return true;
  }

  /** Hands an article's topics back to its source and the keyword rules: the next import of it sets them. */
  async releaseTopics(id: number, now: string): Promise<void> {
    await this.db.updateTable('articles').set({ topics_fixed_at: null, topics_fixed_by: null, updated_at: now }).where('id', '=', id).execute();
  }

  /**
   * Adds `slug` to the `add` articles and takes it off the `remove` ones, leaving hand-fixed
   * articles alone (the console's "apply new keyword rules"). Returns how many links changed.
   * Call inside a transaction.
   */
  async retagTopic(slug: string, add: number[], remove: number[]): Promise<{ added: number; removed: number }> {
    const free = async (ids: number[]) =>
      ids.length === 0 ? [] : (await this.db.selectFrom('articles').select('id').where('id', 'in', ids).where('topics_fixed_at', 'is', null).execute()).map((r) => r.id);
    const toAdd = await free(add);
    const has = toAdd.length === 0 ? [] : (await this.db.selectFrom('article_topics').select('article_id').where('topic_slug', '=', slug).where('article_id', 'in', toAdd).execute()).map((r) => r.article_id);
    const missing = toAdd.filter((id) => !has.includes(id));
    if (missing.length > 0) await this.db.insertInto('article_topics').values(missing.map((article_id) => ({ article_id, topic_slug: slug }))).execute();
    const toRemove = await free(remove);
    const gone = toRemove.length === 0 ? 0 : Number((await this.db.deleteFrom('article_topics').where('topic_slug', '=', slug).where('article_id', 'in', toRemove).executeTakeFirst()).numDeletedRows);
    return { added: missing.length, removed: gone };
  }

  /** The newest stories (withdrawn ones too when asked; of one topic when given), newest published first, with their topics. */
  async recent(options: { limit: number; offset?: number; includeWithdrawn?: boolean; topic?: string }): Promise<Article[]> {
    let q = this.db.selectFrom('articles').selectAll();
    if (!options.includeWithdrawn) q = q.where('withdrawn_at', 'is', null);
    const topic = options.topic;
    if (topic !== undefined) q = q.where('id', 'in', (eb) => eb.selectFrom('article_topics').select('article_id').where('topic_slug', '=', topic));
    const rows = await q.orderBy('published_at', 'desc').orderBy('id', 'desc').limit(options.limit).offset(options.offset ?? 0).execute();
    return this.withTopics(rows);
  }

  /** One article by id, with its topics (withdrawn ones too: callers decide what to show). */
  async byId(id: number): Promise<Article | undefined> {
    return (await this.byIds([id]))[0];
  }

  /** Articles matching the query, newest published first, with their topics. Withdrawn stories are left out. */
  async list(query: ArticleQuery = {}): Promise<Article[]> {
    let q = this.db.selectFrom('articles').selectAll('articles').where('withdrawn_at', 'is', null);
    if (query.topic) {
      const topic = query.topic;
      q = q.where('id', 'in', (eb) => eb.selectFrom('article_topics').select('article_id').where('topic_slug', '=', topic));
    }
    if (query.since) q = q.where('published_at', '>=', query.since);
    if (query.firstSeenFrom) q = q.where('first_seen_at', '>=', query.firstSeenFrom);
    if (query.firstSeenTo) q = q.where('first_seen_at', '<', query.firstSeenTo);
    const rows = await q.orderBy('published_at', 'desc').orderBy('id', 'desc').execute();
    return this.withTopics(rows);
  }

  /** Articles by id, with their topics. */
  async byIds(ids: number[]): Promise<Article[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('articles').selectAll().where('id', 'in', ids).execute();
    return this.withTopics(rows);
  }

  /** Titles of withdrawn stories, newest first: the archive keeps them out of past subjects. */
  async withdrawnTitles(limit = 1000): Promise<string[]> {
    const rows = await this.db.selectFrom('articles').select('title').where('withdrawn_at', 'is not', null).orderBy('withdrawn_at', 'desc').limit(limit).execute();
    return rows.map((r) => r.title);
  }

  /** Total stored articles. */
  async count(): Promise<number> {
    const r = await this.db.selectFrom('articles').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  private async withTopics(rows: Selectable<ArticlesTable>[]): Promise<Article[]> {
    if (rows.length === 0) return [];
    const links = await this.db
      .selectFrom('article_topics')
      .innerJoin('topics', 'topics.slug', 'article_topics.topic_slug')
      .select(['article_topics.article_id', 'article_topics.topic_slug'])
      .where('article_topics.article_id', 'in', rows.map((r) => r.id))
      .orderBy('topics.position')
      .execute();
    const byArticle = new Map<number, string[]>();
    for (const l of links) {
      const list = byArticle.get(l.article_id) ?? [];
      list.push(l.topic_slug);
      byArticle.set(l.article_id, list);
    }
    return rows.map((r) => toArticle(r, byArticle.get(r.id) ?? []));
  }
}

function toArticle(r: Selectable<ArticlesTable>, topics: string[]): Article {
  return {
    id: r.id,
    key: r.key,
    url: r.url,
    title: r.title,
    summary: r.summary,
    body: r.body,
    image:
      r.image_url || r.image_caption || r.image_credit
        ? { url: r.image_url, caption: r.image_caption, credit: r.image_credit, ...(r.image_width && r.image_height ? { width: r.image_width, height: r.image_height } : {}) }
        : null,
    source: r.source,
    author: r.author,
    publishedAt: r.published_at,
    firstSeenAt: r.first_seen_at,
    withdrawnAt: r.withdrawn_at,
    // Only hand-fixed stories carry the mark, so other readers of Article see no new fields.
    ...(r.topics_fixed_at !== null ? { topicsFixedAt: r.topics_fixed_at, topicsFixedBy: r.topics_fixed_by } : {}),
    topics,
    priority: r.priority ?? null,
  };
}
