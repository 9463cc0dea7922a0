import { sql } from 'kysely';
import { chunked, INSERT_BATCH_SIZE } from './chunks.js';
import { isPostgres } from './dialect.js';
import type { Db } from './database.js';
import type { DeliveryStatus } from './schema.js';

/** The skip reason of a day that was past the catch-up window; an explicit send re-plans it. */
const LATE = 'late';

/**
 * A row's status as an expression no index can serve. The planner's reads find a page's readers
 * through the (subscriber_id, local_date) index; given `status = ?` as well, SQLite (without
 * statistics, as on a first run) walked deliveries_claim_idx instead: every planned or sent row,
 * once per page, while the sender works through them (90 ms a page at 200,000 readers, quadratic
 * in the list). `status || ''` leaves the subscriber index the only way in, in both dialects.
 */
function statusOf(column: 'status' | 'd.status' | 's.status' = 'status') {
  return sql<string>`${sql.ref(column)} || ''`;
}

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

/**
 * The planner's side of the delivery ledger: what each reader was already sent or planned (read
 * while planning), and recording a new plan (written by the record stage, in one transaction
 * with its editions). The send path never comes here.
 */
export class DeliveryPlans {
  constructor(private readonly db: Db) {}

  /**
   * Subscriber ids (of those given) that already have a row for their local date. With
   * `reopenLate`, a day skipped for being late does not count: an explicit send re-plans it.
   */
  async existingFor(pairs: { subscriberId: number; localDate: string }[], options: { reopenLate?: boolean } = {}): Promise<Set<string>> {
    const found = new Set<string>();
    const dates = [...new Set(pairs.map((p) => p.localDate))];
    for (const ids of chunked([...new Set(pairs.map((p) => p.subscriberId))])) {
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
    for (const ids of chunked(subscriberIds)) {
      const rows = await this.db
        .selectFrom('deliveries as d')
        .select(['d.subscriber_id', (eb) => eb.fn.min('d.window_start').as('bound')])
        .where('d.subscriber_id', 'in', ids)
        .where(statusOf('d.status'), '=', 'skipped')
        .where('d.reason', '=', reason)
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom('deliveries as s').select('s.id').whereRef('s.subscriber_id', '=', 'd.subscriber_id').where(statusOf('s.status'), 'in', ['sent', 'sending']).whereRef('s.window_end', '>', 'd.window_start'))),
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
    for (const ids of chunked(subscriberIds)) {
      const rows = await this.db
        .selectFrom('deliveries')
        .select(['subscriber_id', (eb) => eb.fn[agg](column).as('bound')])
        .where('subscriber_id', 'in', ids)
        .where(statusOf(), 'in', statuses)
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
    for (const subs of chunked(subscriberIds)) {
      const rows = await this.db
        .selectFrom('deliveries')
        .select(['subscriber_id', 'edition_key'])
        .where('subscriber_id', 'in', subs)
        .where(statusOf(), 'in', ['sent', 'sending'])
        .where('edition_key', 'is not', null)
        .where('window_end', '>', sinceIso)
        .execute();
      const missing = [...new Set(rows.map((r) => r.edition_key!))].filter((k) => !editionArticles.has(k));
      for (const keys of chunked(missing)) {
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
    for (const chunk of chunked(rows, INSERT_BATCH_SIZE)) {
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
    // Appended in place: copying the list for each reader was quadratic in the page (200 MB of
    // garbage on a 20,000-reader day).
    for (const r of rows) {
      const ids = byDate.get(r.localDate);
      if (ids) ids.push(r.subscriberId);
      else byDate.set(r.localDate, [r.subscriberId]);
    }
    for (const [localDate, ids] of byDate) {
      for (const chunk of chunked(ids)) {
        const r = await this.db
          .updateTable('deliveries')
          .set({ status: 'skipped', reason: 'superseded', finished_at: now, lease_owner: null, lease_until: null })
          .where('subscriber_id', 'in', chunk)
          .where(statusOf(), '=', 'planned')
          .where('local_date', '<', localDate)
          .executeTakeFirst();
        n += Number(r.numUpdatedRows);
      }
    }
    return n;
  }

  /**
   * Refreshes PostgreSQL's statistics for the ledger after a large plan. On a young database the
   * claim query is otherwise planned as a full join and sort (about 30× slower per claim) until
   * autovacuum gets round to it. SQLite needs nothing.
   */
  async refreshStatistics(): Promise<void> {
    if (isPostgres(this.db)) await sql`analyze deliveries`.execute(this.db);
  }
}
