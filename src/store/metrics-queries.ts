import { sql } from 'kysely';
import type { DeliveryStatus } from './schema.js';
import type { Store } from './store.js';

/** What /metrics reads from the store at scrape time. */
export interface StoreGauges {
  deliveries: Record<DeliveryStatus, number>;
  /** Transactional mail waiting or in flight. */
  mailQueueDepth: number;
  webhookQueueDepth: number;
  /** Sources by URL with their last successful poll (null: never). */
  sources: { url: string; lastSuccessAt: string | null }[];
  bounces: { hard: number; soft: number };
  complaints: number;
}

/** Reads every store-backed gauge in a handful of aggregate queries. */
export async function readStoreGauges(store: Pick<Store, 'deliveries' | 'mailQueue' | 'webhooks' | 'db'>, now: Date): Promise<StoreGauges> {
  const [deliveries, mail, webhookQueueDepth, sources, feedback] = await Promise.all([
    store.deliveries.countByStatus(),
    store.mailQueue.health(now),
    store.webhooks.pendingCount(),
    store.db.selectFrom('sources').select(['url', 'last_success_at']).orderBy('id').execute(),
    store.db
      .selectFrom('deliveries')
      .select([
        sql<number>`sum(case when bounce_type = 'hard' then 1 else 0 end)`.as('hard'),
        sql<number>`sum(case when bounce_type = 'soft' then 1 else 0 end)`.as('soft'),
        sql<number>`sum(case when complained_at is not null then 1 else 0 end)`.as('complaints'),
      ])
      .where((eb) => eb.or([eb('bounced_at', 'is not', null), eb('complained_at', 'is not', null)]))
      .executeTakeFirstOrThrow(),
  ]);
  return {
    deliveries,
    mailQueueDepth: mail.depth,
    webhookQueueDepth,
    sources: sources.map((s) => ({ url: s.url, lastSuccessAt: s.last_success_at })),
    bounces: { hard: Number(feedback.hard ?? 0), soft: Number(feedback.soft ?? 0) },
    complaints: Number(feedback.complaints ?? 0),
  };
}
