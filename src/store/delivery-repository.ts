import { sql } from 'kysely';
import { emailKey } from '../model/subscriber.js';
import { isPostgres } from './dialect.js';
import type { Db } from './database.js';
import type { DeliveryStatus } from './schema.js';

/** The skip reason of a day that was past the catch-up window; an explicit send re-plans it. */
const LATE = 'late';

/** A ledger row to insert when planning. */
export interface NewDelivery {
  subscriberId: number;
  localDate: string;
  status: 'planned' | 'skipped';
  editionKey: string | null;
  windowStart: string;
  windowEnd: string;
  reason: string | null;
}

/** A planned delivery joined with what the sender needs about its reader. */
export interface DeliveryJob {
  id: number;
  subscriberId: number;
  localDate: string;
  editionKey: string;
  attempts: number;
  email: string;
  name: string | null;
  signingKey: string;
  publicId: string;
}

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

/**
 * The delivery ledger. Every state change is its own short write, committed before and after
 * each SMTP transaction, so a crash leaves at most the in-flight messages uncertain.
 */
export class DeliveryRepository {
  constructor(private readonly db: Db) {}

  /**
   * Subscriber ids (of those given) that already have a row for their local date. With
   * `reopenLate`, a day skipped for being late does not count: an explicit send re-plans it.
   */
  async existingFor(pairs: { subscriberId: number; localDate: string }[], options: { reopenLate?: boolean } = {}): Promise<Set<string>> {
    const found = new Set<string>();
    const dates = [...new Set(pairs.map((p) => p.localDate))];
    for (const ids of chunks([...new Set(pairs.map((p) => p.subscriberId))])) {
      const rows = await this.db
        .selectFrom('deliveries')
        .select(['subscriber_id', 'local_date'])
        .where('subscriber_id', 'in', ids)
        .where('local_date', 'in', dates)
        .$if(Boolean(options.reopenLate), (q) => q.where((w) => w.not(w.and([w('status', '=', 'skipped'), w('reason', '=', LATE)]))))
        .execute();
      for (const r of rows) found.add(`${r.subscriber_id}|${r.local_date}`);
    }
    return found;
  }

  /**
   * For each subscriber, the end of the window their last digest that may have reached them
   * covered: `sent`, or `sending` (uncertain — resending it is the operator's call, and its
   * articles must not turn up again in a new digest meanwhile).
   */
  async lastSentWindowEnd(subscriberIds: number[]): Promise<Map<number, string>> {
    return this.windowBound(subscriberIds, 'max', 'window_end', ['sent', 'sending']);
  }

  /**
   * For each subscriber with a planned row that never went out, where that row's window began:
   * a new plan supersedes the row and takes over its window, so the missed day's news is kept.
   */
  async oldestPlannedWindowStart(subscriberIds: number[]): Promise<Map<number, string>> {
    return this.windowBound(subscriberIds, 'min', 'window_start', ['planned']);
  }

  /**
   * For each subscriber, where the oldest window skipped as `reason` (e.g. 'too few stories')
   * that no later sent edition covered began: those stories carry over into the next edition.
   */
  async carriedOverWindowStart(subscriberIds: number[], reason: string): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    for (const ids of chunks(subscriberIds)) {
      const rows = await this.db
        .selectFrom('deliveries as d')
        .select(['d.subscriber_id', (eb) => eb.fn.min('d.window_start').as('bound')])
        .where('d.subscriber_id', 'in', ids)
        .where('d.status', '=', 'skipped')
        .where('d.reason', '=', reason)
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom('deliveries as s').select('s.id').whereRef('s.subscriber_id', '=', 'd.subscriber_id').where('s.status', 'in', ['sent', 'sending']).whereRef('s.window_end', '>', 'd.window_start'))),
        )
        .groupBy('d.subscriber_id')
        .execute();
      for (const r of rows) out.set(r.subscriber_id, String(r.bound));
    }
    return out;
  }

  /** Per subscriber, the max or min of one window column over their rows in `statuses`. */
  private async windowBound(subscriberIds: number[], agg: 'max' | 'min', column: 'window_start' | 'window_end', statuses: DeliveryStatus[]): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    for (const ids of chunks(subscriberIds)) {
      const rows = await this.db
        .selectFrom('deliveries')
        .select(['subscriber_id', (eb) => eb.fn[agg](column).as('bound')])
        .where('subscriber_id', 'in', ids)
        .where('status', 'in', statuses)
        .groupBy('subscriber_id')
        .execute();
      for (const r of rows) out.set(r.subscriber_id, String(r.bound));
    }
    return out;
  }

  /**
   * Which of `articleIds` each subscriber has already been sent (or may have been: uncertain rows
   * count). Derived from the ledger and the stored editions, whose article lists are exactly what
   * each email held, so the send loop records a delivery with one UPDATE and nothing else.
   * Only digests whose window ended after `sinceIso` are looked at: older ones cannot hold
   * articles first seen since.
   */
  async sentArticles(subscriberIds: number[], articleIds: number[], sinceIso: string): Promise<Map<number, Set<number>>> {
    const out = new Map<number, Set<number>>();
    if (subscriberIds.length === 0 || articleIds.length === 0) return out;
    const wanted = new Set(articleIds);
    const editionArticles = new Map<string, number[]>();
    for (const subs of chunks(subscriberIds)) {
      const rows = await this.db
        .selectFrom('deliveries')
        .select(['subscriber_id', 'edition_key'])
        .where('subscriber_id', 'in', subs)
        .where('status', 'in', ['sent', 'sending'])
        .where('edition_key', 'is not', null)
        .where('window_end', '>', sinceIso)
        .execute();
      const missing = [...new Set(rows.map((r) => r.edition_key!))].filter((k) => !editionArticles.has(k));
      for (const keys of chunks(missing)) {
        const eds = await this.db.selectFrom('editions').select(['key', 'article_ids']).where('key', 'in', keys).execute();
        for (const e of eds) editionArticles.set(e.key, JSON.parse(e.article_ids) as number[]);
      }
      for (const r of rows) {
        for (const a of editionArticles.get(r.edition_key!) ?? []) {
          if (!wanted.has(a)) continue;
          let set = out.get(r.subscriber_id);
          if (!set) out.set(r.subscriber_id, (set = new Set()));
          set.add(a);
        }
      }
    }
    return out;
  }

  /**
   * Inserts planned/skipped rows; a row that already exists for that day is left alone, except
   * that a planned row replaces a day skipped as late (an explicit send re-planned it). Returns
   * how many were new or replaced.
   */
  async insertPlanned(rows: NewDelivery[], now: string): Promise<number> {
    if (rows.length === 0) return 0;
    let inserted = 0;
    // Chunked to stay under SQLite's bound-parameter limit.
    for (let i = 0; i < rows.length; i += 200) {
      const chunk = rows.slice(i, i + 200);
      const r = await this.db
        .insertInto('deliveries')
        .values(
          chunk.map((d) => ({
            subscriber_id: d.subscriberId,
            local_date: d.localDate,
            status: d.status,
            edition_key: d.editionKey,
            window_start: d.windowStart,
            window_end: d.windowEnd,
            reason: d.reason,
            planned_at: now,
            finished_at: d.status === 'skipped' ? now : null,
          })),
        )
        .onConflict((oc) =>
          oc
            .columns(['subscriber_id', 'local_date'])
            .doUpdateSet((eb) => ({
              status: eb.ref('excluded.status'),
              edition_key: eb.ref('excluded.edition_key'),
              window_start: eb.ref('excluded.window_start'),
              window_end: eb.ref('excluded.window_end'),
              reason: eb.ref('excluded.reason'),
              planned_at: eb.ref('excluded.planned_at'),
              finished_at: eb.ref('excluded.finished_at'),
            }))
            .where('deliveries.status', '=', 'skipped')
            .where('deliveries.reason', '=', LATE)
            .where(sql.ref('excluded.status'), '=', 'planned'),
        )
        .executeTakeFirst();
      inserted += Number(r.numInsertedOrUpdatedRows ?? 0);
    }
    return inserted;
  }

  /**
   * Marks a reader's older, never-sent planned rows skipped once a newer day is planned for
   * them: the new digest's window already covers those articles, so sending both would repeat
   * stories and put two digests in one inbox.
   */
  async supersedeOlderPlanned(rows: { subscriberId: number; localDate: string }[], now: string): Promise<number> {
    let n = 0;
    const byDate = new Map<string, number[]>();
    for (const r of rows) byDate.set(r.localDate, [...(byDate.get(r.localDate) ?? []), r.subscriberId]);
    for (const [localDate, ids] of byDate) {
      for (const chunk of chunks(ids)) {
        const r = await this.db
          .updateTable('deliveries')
          .set({ status: 'skipped', reason: 'superseded', finished_at: now, lease_owner: null, lease_until: null })
          .where('subscriber_id', 'in', chunk)
          .where('status', '=', 'planned')
          .where('local_date', '<', localDate)
          .executeTakeFirst();
        n += Number(r.numUpdatedRows);
      }
    }
    return n;
  }

  /**
   * Skips planned rows of readers who can no longer be mailed (unsubscribed, bounced or paused
   * since the row was planned): a reader who has left must not get one more digest.
   */
  async skipUndeliverable(now: string): Promise<number> {
    const r = await this.db
      .updateTable('deliveries')
      .set({ status: 'skipped', reason: 'reader inactive', finished_at: now, lease_owner: null, lease_until: null })
      .where('status', '=', 'planned')
      // Probes each planned row's reader by primary key rather than scanning the whole list.
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('subscribers as s')
            .select('s.id')
            .whereRef('s.id', '=', 'deliveries.subscriber_id')
            .where((w) => w.or([w('s.status', '<>', 'active'), w('s.paused', '<>', 0)])),
        ),
      )
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /**
   * Leases up to `limit` planned deliveries to `owner` and returns them. One statement picks and
   * leases, so concurrent senders never get the same row: PostgreSQL skips rows another worker has
   * locked (`FOR UPDATE SKIP LOCKED`), SQLite runs one writer at a time anyway. A leased row that
   * is never sent (the worker died before starting it) returns to the pool when the lease expires.
   */
  async claimBatch(owner: string, limit: number, leaseSeconds: number, now: Date, onlyEmail?: string): Promise<DeliveryJob[]> {
    const nowIso = now.toISOString();
    const pg = isPostgres(this.db);
    const picked = await this.db
      .updateTable('deliveries')
      .set({ lease_owner: owner, lease_until: new Date(now.getTime() + leaseSeconds * 1000).toISOString() })
      .where('id', 'in', (eb) => {
        let q = eb
          .selectFrom('deliveries as p')
          .select('p.id')
          .where('p.status', '=', 'planned')
          .where('p.edition_key', 'is not', null)
          .where((w) => w.or([w('p.lease_until', 'is', null), w('p.lease_until', '<', nowIso)]))
          // Checked again at send time: the reader may have left since the row was planned. A
          // correlated EXISTS probes one subscriber by primary key per candidate row; `IN (SELECT
          // … FROM subscribers)` scanned the whole list on every claim (2.3 ms at 200k readers).
          .where((w) => {
            let s = w.selectFrom('subscribers as s').select('s.id').whereRef('s.id', '=', 'p.subscriber_id').where('s.status', '=', 'active').where('s.paused', '=', 0);
            if (onlyEmail) s = s.where('s.email_key', '=', emailKey(onlyEmail));
            return w.exists(s);
          })
          // Edition by edition: consecutive readers share one compiled personaliser in the sender.
          .orderBy('p.edition_key')
          .orderBy('p.id')
          .limit(limit);
        if (pg) q = q.forUpdate().skipLocked();
        return q;
      })
      .returning(['id', 'subscriber_id', 'local_date', 'edition_key', 'attempts'])
      .execute();
    if (picked.length === 0) return [];
    // Readers looked up by their primary keys, not joined: a join let PostgreSQL hash the whole list.
    const readers = new Map<number, { email: string; name: string | null; signing_key: string; public_id: string }>();
    const rows = await this.db
      .selectFrom('subscribers')
      .select(['id', 'email', 'name', 'signing_key', 'public_id'])
      .where('id', 'in', [...new Set(picked.map((r) => Number(r.subscriber_id)))])
      .execute();
    for (const r of rows) readers.set(Number(r.id), r);
    const jobs: DeliveryJob[] = [];
    for (const r of picked) {
      const reader = readers.get(Number(r.subscriber_id));
      if (!reader) continue; // deleted between the two statements; its row went with it (cascade)
      jobs.push({
        id: Number(r.id),
        subscriberId: Number(r.subscriber_id),
        localDate: r.local_date,
        editionKey: r.edition_key!,
        attempts: Number(r.attempts),
        email: reader.email,
        name: reader.name,
        signingKey: reader.signing_key,
        publicId: reader.public_id,
      });
    }
    // Edition by edition, then oldest first, as claimed; key strings compare as bytes, like the index.
    return jobs.sort((a, b) => (a.editionKey < b.editionKey ? -1 : a.editionKey > b.editionKey ? 1 : a.id - b.id));
  }

  /**
   * Moves a row this owner leased from `planned` to `sending`, committed before the SMTP
   * transaction. The conditions make it a claim: two senders can never both send the same row.
   */
  async claim(id: number, owner: string, messageId: string, leaseSeconds: number, now: Date): Promise<boolean> {
    const r = await this.db
      .updateTable('deliveries')
      .set((eb) => ({
        status: 'sending',
        sending_at: now.toISOString(),
        message_id: messageId,
        lease_owner: owner,
        lease_until: new Date(now.getTime() + leaseSeconds * 1000).toISOString(),
        attempts: eb('attempts', '+', 1),
      }))
      .where('id', '=', id)
      .where('status', '=', 'planned')
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /**
   * Records a send the server accepted: one conditional UPDATE, so the record is atomic without a
   * transaction (the articles it carried are the edition's). Only the claimant may record it;
   * returns false if the row was no longer ours (e.g. requeued).
   */
  async markSent(id: number, owner: string, messageId: string, now: string): Promise<boolean> {
    const r = await this.db
      .updateTable('deliveries')
      .set({ status: 'sent', message_id: messageId, finished_at: now, error: null, lease_until: null })
      .where('id', '=', id)
      .where('status', '=', 'sending')
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Records a permanent failure. */
  async markFailed(id: number, error: string, now: string): Promise<void> {
    await this.db.updateTable('deliveries').set({ status: 'failed', error, finished_at: now, lease_until: null }).where('id', '=', id).execute();
  }

  /** Puts a row back to planned after a transient failure (the server did not take it), still leased to its sender. */
  async release(id: number, error: string): Promise<void> {
    // The lease stays: this sender retries in-run; if it dies, the row returns when the lease ends.
    await this.db
      .updateTable('deliveries')
      .set({ status: 'planned', error })
      .where('id', '=', id)
      .where('status', '=', 'sending')
      .execute();
  }

  /**
   * Uncertain rows: `sending` with no lease. Their sender got no reply after the final dot, or
   * died mid-send and was taken over (see DeliveryLeases); the server may or may not have the
   * message, so they are never resent automatically. `_now` is kept for callers of the old API.
   */
  async uncertain(_now?: Date): Promise<DeliveryRow[]> {
    return this.list({ status: 'sending', uncertainOnly: true });
  }

  /** Puts uncertain rows back to planned, on an operator's explicit request; in-flight rows (leased) are never touched. */
  async requeueUncertain(_now?: Date, onlyEmail?: string): Promise<number> {
    let q = this.db
      .updateTable('deliveries')
      .set({ status: 'planned', lease_owner: null, lease_until: null, error: 'requeued by operator after uncertain send' })
      .where('status', '=', 'sending')
      .where('lease_until', 'is', null);
    if (onlyEmail) q = q.where('subscriber_id', 'in', (eb) => eb.selectFrom('subscribers').select('id').where('email_key', '=', emailKey(onlyEmail)));
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

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

  /**
   * Refreshes PostgreSQL's statistics for the ledger after a large plan. On a young database the
   * claim query is otherwise planned as a full join and sort (about 30× slower per claim) until
   * autovacuum gets round to it. SQLite needs nothing.
   */
  async refreshStatistics(): Promise<void> {
    if (isPostgres(this.db)) await sql`analyze deliveries`.execute(this.db);
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

/** Splits an id list so one statement never exceeds the database's bound-parameter limit. */
function chunks<T>(items: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
