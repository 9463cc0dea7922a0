import type { Store } from '../../src/store/store.js';

/** A reader with digests that went out, as the send loop would have recorded them. */
export interface SentWorld {
  subscriberId: number;
  /** Delivery ids, oldest first, one per day. */
  deliveryIds: number[];
  messageIds: string[];
  editionKey: string;
}

/**
 * Stores a reader and `days` sent digests (one per local date from 2026-01-10), through the real
 * ledger methods: planned, claimed, sent.
 */
export async function sentDigests(store: Store, email: string, days = 1, base = '2026-01-10T07:00:00.000Z'): Promise<SentWorld> {
  const editionKey = `ed-${email.replace(/[^a-z0-9]/gi, '')}`;
  await store.topics.upsert([{ slug: 'world', name: 'World' }], base);
  await store.editions.saveIfAbsent({ key: editionKey, localDate: '2026-01-10', topics: ['world'], subject: 'S', html: '<p>h</p>', text: 't', articleIds: [] }, base);
  const { id: subscriberId } = await store.subscribers.upsert({ email, name: null, timezone: null, topics: ['world'], status: 'active' }, base);
  const deliveryIds: number[] = [];
  const messageIds: string[] = [];
  for (let d = 0; d < days; d++) {
    const at = new Date(Date.parse(base) + d * 86_400_000);
    const localDate = at.toISOString().slice(0, 10);
    await store.plans.insertPlanned([{ subscriberId, localDate, status: 'planned', editionKey, windowStart: base, windowEnd: at.toISOString(), reason: null }], at.toISOString());
    const [job] = await store.ledger.claimBatch('test-owner', 1, 60, at, email);
    if (!job) throw new Error('no delivery to claim');
    const messageId = `<msg-${job.id}-${localDate}@news.example.com>`;
    await store.ledger.claim(job.id, 'test-owner', messageId, 60, at);
    await store.ledger.markSent(job.id, 'test-owner', messageId, at.toISOString());
    deliveryIds.push(job.id);
    messageIds.push(messageId);
  }
  return { subscriberId, deliveryIds, messageIds, editionKey };
}

/** The feedback columns of one ledger row. */
export async function deliveryFeedback(store: Store, id: number) {
  return store.db.selectFrom('deliveries').select(['bounced_at', 'bounce_type', 'complained_at', 'feedback', 'status']).where('id', '=', id).executeTakeFirstOrThrow();
}
