import { sql } from 'kysely';
import { emailKey } from '../model/subscriber.js';
import { chunked } from './chunks.js';
import type { Db } from './database.js';
import type { DeliveryStatus } from './schema.js';

/** A ledger row for listings. */
export interface DeliveryRow {
  id: number;
  email: string;
  localDate: string;
  status: DeliveryStatus;
  editionKey: string | null;
  reason: string | null;
  error: string | null;
  messageId: string | null;
  attempts: number;
  plannedAt: string;
  finishedAt: string | null;
  /** When a bounce report came back ('hard' or 'soft'), a complaint was made, and the report's summary. */
  bouncedAt: string | null;
  bounceType: 'hard' | 'soft' | null;
  complainedAt: string | null;
  feedback: string | null;
  /** The sender that leased the row last. */
  owner: string | null;
  /** Set while a sender holds the row; a `sending` row without one is uncertain. */
  leaseUntil: string | null;
}

/** An uncertain delivery: the server may or may not have the message. */
export interface UncertainDelivery {
  id: number;
  email: string;
  localDate: string;
  messageId: string | null;
  reason: string | null;
  owner: string | null;
}

/** How an operator settles an uncertain row after checking the relay's log. */
export type Settlement = 'delivered' | 'not-delivered';

/**
 * The operator's side of the delivery ledger: listings, the uncertain rows and settling them,
 * requeueing, counts, and the bench's replays. Nothing on the send path depends on this.
 */
export class DeliveryQueries {
  constructor(private readonly db: Db) {}

  /** Ledger rows for inspection, newest first. */
  async list(
    filter: { status?: DeliveryStatus; localDate?: string; uncertainOnly?: boolean; email?: string; finishedSince?: string; limit?: number } = {},
  ): Promise<DeliveryRow[]> {
    let q = this.db
      .selectFrom('deliveries as d')
      .innerJoin('subscribers as s', 's.id', 'd.subscriber_id')
      .select(['d.id', 's.email', 'd.local_date', 'd.status', 'd.edition_key', 'd.reason', 'd.error', 'd.message_id', 'd.attempts', 'd.planned_at', 'd.finished_at', 'd.lease_owner', 'd.lease_until', 'd.bounced_at', 'd.bounce_type', 'd.complained_at', 'd.feedback']);
    if (filter.status) q = q.where('d.status', '=', filter.status);
    if (filter.localDate) q = q.where('d.local_date', '=', filter.localDate);
    if (filter.uncertainOnly) q = q.where('d.status', '=', 'sending').where('d.lease_until', 'is', null);
    if (filter.email) q = q.where('s.email_key', '=', emailKey(filter.email));
    if (filter.finishedSince) q = q.where('d.finished_at', '>=', filter.finishedSince);
    const rows = await q.orderBy('d.id', 'desc').limit(filter.limit ?? 1000).execute();
    return rows.map((r) => ({
      id: r.id,
      email: r.email,
      localDate: r.local_date,
      status: r.status,
      editionKey: r.edition_key,
      reason: r.reason,
      error: r.error,
      messageId: r.message_id,
      attempts: r.attempts,
      plannedAt: r.planned_at,
      finishedAt: r.finished_at,
      owner: r.lease_owner,
      leaseUntil: r.lease_until,
      bouncedAt: r.bounced_at,
      bounceType: r.bounce_type,
      complainedAt: r.complained_at,
      feedback: r.feedback,
    }));
  }

  /** Puts uncertain rows back to planned, on an operator's explicit request; in-flight rows (leased) are never touched. */
  async requeueUncertain(onlyEmail?: string): Promise<number> {
    let q = this.db
      .updateTable('deliveries')
      .set({ status: 'planned', lease_owner: null, lease_until: null, error: 'requeued by operator after uncertain send' })
      .where('status', '=', 'sending')
      .where('lease_until', 'is', null);
    if (onlyEmail) q = q.where('subscriber_id', 'in', (eb) => eb.selectFrom('subscribers').select('id').where('email_key', '=', emailKey(onlyEmail)));
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /** How many rows are uncertain and not yet settled. */
  async countUncertain(): Promise<number> {
    const row = await this.db
      .selectFrom('deliveries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'sending')
      .where('lease_until', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Uncertain rows, oldest first, with who was sending them and why they are in doubt. */
  async listUncertain(limit = 1000, ids?: number[]): Promise<UncertainDelivery[]> {
    let q = this.db
      .selectFrom('deliveries as d')
      .innerJoin('subscribers as s', 's.id', 'd.subscriber_id')
      .select(['d.id', 's.email', 'd.local_date', 'd.message_id', 'd.error', 'd.lease_owner'])
      .where('d.status', '=', 'sending')
      .where('d.lease_until', 'is', null);
    if (ids) q = q.where('d.id', 'in', ids.length > 0 ? ids : [-1]);
    const rows = await q.orderBy('d.id').limit(limit).execute();
    return rows.map((r) => ({ id: r.id, email: r.email, localDate: r.local_date, messageId: r.message_id, reason: r.error, owner: r.lease_owner }));
  }

  /**
   * Settles uncertain rows after the operator checked the relay: `delivered` records them sent,
   * `not-delivered` makes them sendable again. Only uncertain rows change; returns their ids.
   */
  async settle(ids: number[] | 'all-uncertain', outcome: Settlement, now: Date): Promise<number[]> {
    const targets = (await this.listUncertain(1_000_000, ids === 'all-uncertain' ? undefined : ids)).map((r) => r.id);
    const done: number[] = [];
    for (const chunk of chunked(targets)) {
      const base = this.db.updateTable('deliveries');
      const q =
        outcome === 'delivered'
          ? base.set({ status: 'sent', finished_at: now.toISOString(), error: 'settled by operator: delivered' })
          : base.set({ status: 'planned', lease_owner: null, error: 'settled by operator: not delivered' });
      const rows = await q.where('id', 'in', chunk).where('status', '=', 'sending').where('lease_until', 'is', null).returning('id').execute();
      done.push(...rows.map((r) => Number(r.id)));
    }
    return done;
  }

  /** Sent deliveries in id order with their reader: the benchmark replays a finished run from these. */
  async sentWithReaders(): Promise<{ id: number; editionKey: string; email: string; name: string | null }[]> {
    const rows = await this.db
      .selectFrom('deliveries as d')
      .innerJoin('subscribers as s', 's.id', 'd.subscriber_id')
      .select(['d.id', 'd.edition_key', 's.email', 's.name'])
      .where('d.status', '=', 'sent')
      .orderBy('d.id')
      .execute();
    return rows.map((r) => ({ id: r.id, editionKey: r.edition_key!, email: r.email, name: r.name }));
  }

  /** Keys of the editions that went out, most-sent first. */
  async sentEditionKeys(limit?: number): Promise<string[]> {
    let q = this.db
      .selectFrom('deliveries')
      .select(['edition_key', sql<number>`count(*)`.as('n')])
      .where('status', '=', 'sent')
      .where('edition_key', 'is not', null)
      .groupBy('edition_key')
      .orderBy('n', 'desc')
      .orderBy('edition_key');
    if (limit !== undefined) q = q.limit(limit);
    return (await q.execute()).map((r) => r.edition_key!);
  }

  /**
   * Leases every planned row to `owner` until `until`, or (with `until` null) frees the rows
   * `owner` holds: a start gate, so several senders can be started idle and let go at once.
   */
  async gatePlanned(owner: string, until: string | null): Promise<number> {
    const q = until === null
      ? this.db.updateTable('deliveries').set({ lease_owner: null, lease_until: null }).where('lease_owner', '=', owner)
      : this.db.updateTable('deliveries').set({ lease_owner: owner, lease_until: until }).where('status', '=', 'planned');
    return Number((await q.executeTakeFirst()).numUpdatedRows);
  }

  /** Row counts by status, for summaries. */
  async countByStatus(): Promise<Record<DeliveryStatus, number>> {
    const rows = await this.db.selectFrom('deliveries').select(['status', sql<number>`count(*)`.as('n')]).groupBy('status').execute();
    const out: Record<DeliveryStatus, number> = { planned: 0, sending: 0, sent: 0, failed: 0, skipped: 0 };
    for (const r of rows) out[r.status] = Number(r.n);
    return out;
  }
}
