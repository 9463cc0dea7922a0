import { sql } from 'kysely';
import type { Db } from './database.js';
import type { FeedbackEventsTable } from './schema.js';

/** A delivery as report matching sees it. */
export interface FeedbackDelivery {
  id: number;
  subscriberId: number;
  email: string;
  editionKey: string | null;
  finishedAt: string | null;
}

/** A report to keep, once. */
export type NewFeedbackEvent = Omit<FeedbackEventsTable, 'id'>;

/** One day of `deliveries stats`. */
export interface FeedbackDay {
  day: string;
  sent: number;
  hardBounces: number;
  softBounces: number;
  complaints: number;
  unsubscribes: number;
}

/**
 * What bounces and complaints write: the events themselves (deduplicated by fingerprint), the
 * ledger columns of the delivery they concern, and the per-day figures read back from both.
 */
export class FeedbackRepository {
  constructor(private readonly db: Db) {}

  /** Keeps a report; false when one with the same fingerprint was already kept (a re-read). */
  async recordEvent(event: NewFeedbackEvent): Promise<boolean> {
    const r = await this.db.insertInto('feedback_events').values(event).onConflict((oc) => oc.column('fingerprint').doNothing()).executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  private deliveries() {
    return this.db
      .selectFrom('deliveries as d')
      .innerJoin('subscribers as s', 's.id', 'd.subscriber_id')
      .select(['d.id', 'd.subscriber_id', 's.email', 'd.edition_key', 'd.finished_at']);
  }

  private static row(r: { id: number; subscriber_id: number; email: string; edition_key: string | null; finished_at: string | null }): FeedbackDelivery {
    return { id: r.id, subscriberId: r.subscriber_id, email: r.email, editionKey: r.edition_key, finishedAt: r.finished_at };
  }

  /** The delivery with this id. */
  async deliveryById(id: number): Promise<FeedbackDelivery | undefined> {
    const r = await this.deliveries().where('d.id', '=', id).executeTakeFirst();
    return r ? FeedbackRepository.row(r) : undefined;
  }

  /** The delivery that carried one of these Message-IDs. */
  async deliveryByMessageId(messageIds: string[]): Promise<FeedbackDelivery | undefined> {
    if (messageIds.length === 0) return undefined;
    const r = await this.deliveries().where('d.message_id', 'in', messageIds.slice(0, 50)).orderBy('d.id', 'desc').executeTakeFirst();
    return r ? FeedbackRepository.row(r) : undefined;
  }

  /**
   * The last digest that went to this address no later than `before` (plus an hour, for skewed
   * clocks): a report naming only the recipient concerns the digest sent just before it.
   */
  async lastDeliveryTo(canonicalEmail: string, before?: string): Promise<FeedbackDelivery | undefined> {
    let q = this.deliveries().where(sql<string>`lower(s.email)`, '=', canonicalEmail).where('d.status', 'in', ['sent', 'sending', 'failed']);
    if (before) q = q.where('d.sending_at', '<=', new Date(Date.parse(before) + 3_600_000).toISOString());
    const r = await q.orderBy('d.sending_at', 'desc').orderBy('d.id', 'desc').executeTakeFirst();
    return r ? FeedbackRepository.row(r) : undefined;
  }

  /** The reader with this address (compared lower-cased), if any. */
  async subscriberByEmail(canonicalEmail: string): Promise<{ id: number; email: string } | undefined> {
    return this.db.selectFrom('subscribers').select(['id', 'email']).where(sql<string>`lower(email)`, '=', canonicalEmail).orderBy('id').executeTakeFirst();
  }

  /**
   * Records a bounce on a delivery: the first time stays, a hard bounce outranks a soft one.
   * Returns the bounce type the delivery had before, so a second report about the same message
   * (a relay's retry, a second hop) is not counted twice.
   */
  async markBounced(id: number, type: 'hard' | 'soft', summary: string, now: string): Promise<'hard' | 'soft' | null> {
    const before = await this.db.selectFrom('deliveries').select('bounce_type').where('id', '=', id).executeTakeFirst();
    await this.db
      .updateTable('deliveries')
      .set((eb) => ({
        bounced_at: eb.fn.coalesce('bounced_at', eb.val(now)),
        bounce_type: type === 'hard' ? 'hard' : eb.fn.coalesce('bounce_type', eb.val<'soft'>('soft')),
        feedback: summary,
      }))
      .where('id', '=', id)
      .execute();
    return before?.bounce_type ?? null;
  }

  /** Records a complaint on a delivery. */
  async markComplained(id: number, summary: string, now: string): Promise<void> {
    await this.db
      .updateTable('deliveries')
      .set((eb) => ({ complained_at: eb.fn.coalesce('complained_at', eb.val(now)), feedback: summary }))
      .where('id', '=', id)
      .execute();
  }

  /**
   * Skips planned digests of suppressed addresses (e.g. added by hand after planning), so a
   * suppressed address never gets one more digest. Returns how many were skipped.
   */
  async skipSuppressed(now: string): Promise<number> {
    // Most runs have nothing suppressed since planning; then the send path touches no reader rows.
    if (!(await this.db.selectFrom('suppressions').select('email').limit(1).executeTakeFirst())) return 0;
    const r = await this.db
      .updateTable('deliveries')
      .set({ status: 'skipped', reason: 'suppressed', finished_at: now, lease_owner: null, lease_until: null })
      .where('status', '=', 'planned')
      .where('subscriber_id', 'in', (eb) =>
        eb.selectFrom('subscribers').select('id').where(sql<string>`lower(email)`, 'in', eb.selectFrom('suppressions').select('email')),
      )
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /** The reader's last `n` digests that went out, newest first, with their bounce type. */
  async recentSent(subscriberId: number, n: number): Promise<{ id: number; bounceType: 'hard' | 'soft' | null }[]> {
    const rows = await this.db
      .selectFrom('deliveries')
      .select(['id', 'bounce_type'])
      .where('subscriber_id', '=', subscriberId)
      .where('status', '=', 'sent')
      .orderBy('sending_at', 'desc')
      .orderBy('id', 'desc')
      .limit(n)
      .execute();
    return rows.map((r) => ({ id: r.id, bounceType: r.bounce_type }));
  }

  /** Per UTC day since `sinceDay` (YYYY-MM-DD): digests sent, bounces, complaints and unsubscribes. */
  async daily(sinceDay: string): Promise<FeedbackDay[]> {
    const days = new Map<string, FeedbackDay>();
    const day = (d: string) => {
      let e = days.get(d);
      if (!e) days.set(d, (e = { day: d, sent: 0, hardBounces: 0, softBounces: 0, complaints: 0, unsubscribes: 0 }));
      return e;
    };
    const since = `${sinceDay}T00:00:00.000Z`;
    const sent = await this.db
      .selectFrom('deliveries')
      .select([sql<string>`substr(finished_at, 1, 10)`.as('d'), sql<number>`count(*)`.as('n')])
      .where('status', '=', 'sent')
      .where('finished_at', '>=', since)
      .groupBy(sql`substr(finished_at, 1, 10)`)
      .execute();
    for (const r of sent) day(r.d).sent = Number(r.n);
    // A report counts on the day its digest went out, so the rate compares like with like; one
    // that matched no delivery counts on the day it arrived.
    const eventDay = sql<string>`substr(coalesce(d.finished_at, e.received_at), 1, 10)`;
    const events = await this.db
      .selectFrom('feedback_events as e')
      .leftJoin('deliveries as d', 'd.id', 'e.delivery_id')
      // Two reports about one message (a delay then the failure, a relay's retry) count once.
      .select([eventDay.as('d'), 'e.kind', sql<number>`count(distinct coalesce(e.delivery_id, -e.id))`.as('n')])
      .where(sql<string>`coalesce(d.finished_at, e.received_at)`, '>=', since)
      .where('e.kind', '<>', 'ignored')
      .groupBy([eventDay, 'e.kind'])
      .execute();
    for (const r of events) {
      const e = day(r.d);
      if (r.kind === 'hard') e.hardBounces = Number(r.n);
      else if (r.kind === 'soft') e.softBounces = Number(r.n);
      else if (r.kind === 'complaint') e.complaints = Number(r.n);
    }
    const unsubs = await this.db
      .selectFrom('subscribers')
      .select([sql<string>`substr(unsubscribed_at, 1, 10)`.as('d'), sql<number>`count(*)`.as('n')])
      .where('unsubscribed_at', '>=', since)
      .groupBy(sql`substr(unsubscribed_at, 1, 10)`)
      .execute();
    for (const r of unsubs) day(r.d).unsubscribes = Number(r.n);
    return [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
  }
}
