import type { Topic, TopicInput } from '../model/topic.js';
import type { Db } from './database.js';

/** Reads and writes the topic catalogue. */
export class TopicRepository {
  constructor(private readonly db: Db) {}

  /** The catalogue in display order. */
  async list(): Promise<Topic[]> {
    const rows = await this.db.selectFrom('topics').selectAll().orderBy('position').orderBy('slug').execute();
    return rows.map((r) => ({
      slug: r.slug,
      name: r.name,
      description: r.description,
      keywords: JSON.parse(r.keywords) as string[],
      position: r.position,
    }));
  }

  /** The set of known slugs, for validating input. */
  async slugs(): Promise<Set<string>> {
    const rows = await this.db.selectFrom('topics').select('slug').execute();
    return new Set(rows.map((r) => r.slug));
  }

  /**
   * Adds new topics at the end of the catalogue and updates existing ones in place (keeping their
   * position). Call inside a transaction when several topics must land together.
   */
  async upsert(topics: TopicInput[], now: string): Promise<{ added: number; updated: number }> {
    const existing = await this.slugs();
    const max = await this.db.selectFrom('topics').select((eb) => eb.fn.max('position').as('p')).executeTakeFirst();
    let next = Number(max?.p ?? -1) + 1;
    let added = 0;
    let updated = 0;
    for (const t of topics) {
      const values = {
        name: t.name,
        description: t.description ?? null,
        keywords: JSON.stringify(t.keywords ?? []),
        updated_at: now,
      };
      if (existing.has(t.slug)) {
        await this.db.updateTable('topics').set(values).where('slug', '=', t.slug).execute();
        updated++;
      } else {
        await this.db
          .insertInto('topics')
          .values({ slug: t.slug, position: next++, created_at: now, ...values })
          .execute();
        existing.add(t.slug);
        added++;
      }
    }
    return { added, updated };
  }

  /** Active readers following each topic (paused ones included: they still follow it), by slug. */
  async followerCounts(): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('subscriber_topics')
      .innerJoin('subscribers', 'subscribers.id', 'subscriber_topics.subscriber_id')
      .select(['subscriber_topics.topic_slug as slug', (eb) => eb.fn.countAll<number>().as('n')])
      .where('subscribers.status', '=', 'active')
      .groupBy('subscriber_topics.topic_slug')
      .execute();
    return new Map(rows.map((r) => [r.slug, Number(r.n)]));
  }

  /** Number of topics in the catalogue. */
  async count(): Promise<number> {
    const r = await this.db.selectFrom('topics').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    return Number(r?.n ?? 0);
  }
}
