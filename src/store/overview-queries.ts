import { sql } from 'kysely';
import type { Db } from './database.js';

/**
 * The console overview's reader figures. Kept apart from admin-repository.ts (sessions and the
 * pause switch) so each file stays one screenful of one concern.
 */

/** One topic's followers now and their movement over a period. */
export interface TopicGrowth {
  slug: string;
  name: string;
  /** Active readers following it now (paused ones included: they still follow). */
  followers: number;
  /** Of those, readers who became active (confirmed or were imported) since the period began. */
  joined: number;
  /** Readers following it who unsubscribed or bounced since the period began (erased readers' topics are gone). */
  left: number;
}

/**
 * Followers per topic now, and who joined and left since `since` (an ISO instant). Topic changes
 * by readers who stay are not history the store keeps, so growth counts arrivals and departures.
 */
export async function topicGrowth(db: Db, since: string): Promise<TopicGrowth[]> {
  const rows = await db
    .selectFrom('topics as t')
    .leftJoin('subscriber_topics as st', 'st.topic_slug', 't.slug')
    .leftJoin('subscribers as s', (j) => j.onRef('s.id', '=', 'st.subscriber_id').on('s.erased_at', 'is', null))
    .select([
      't.slug',
      't.name',
      sql<number>`sum(case when s.status = 'active' then 1 else 0 end)`.as('followers'),
      sql<number>`sum(case when s.status = 'active' and s.confirmed_at >= ${since} then 1 else 0 end)`.as('joined'),
      sql<number>`sum(case when (s.status = 'unsubscribed' and s.unsubscribed_at >= ${since}) or (s.status = 'bounced' and s.updated_at >= ${since}) then 1 else 0 end)`.as('left'),
    ])
    .groupBy(['t.slug', 't.name', 't.position'])
    .orderBy('t.position')
    .orderBy('t.slug')
    .execute();
  return rows.map((r) => ({ slug: r.slug, name: r.name, followers: Number(r.followers ?? 0), joined: Number(r.joined ?? 0), left: Number(r.left ?? 0) }));
}
