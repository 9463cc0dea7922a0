import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from './database.js';
import type { DeliveryRow } from './delivery-queries.js';
import { SuppressionRepository } from './suppression-repository.js';

/** One ledger row as a reader's data export shows it: the listing row without operator fields. */
export type DeliveryRecord = Pick<
  DeliveryRow,
  'localDate' | 'status' | 'reason' | 'error' | 'editionKey' | 'plannedAt' | 'finishedAt' | 'bouncedAt' | 'bounceType' | 'complainedAt' | 'feedback'
>;

/**
 * Erasure, export and retention: the store side of readers owning their data. Erasure keeps the
 * ledger (operators need its counts, and it is what stops a day being sent twice) but leaves the
 * reader's row as a stub holding only a keyed hash of the address.
 */
export class PrivacyRepository {
  constructor(private readonly db: Db) {}

  /** Every ledger row of a reader, oldest first. */
  async deliveriesOf(subscriberId: number): Promise<DeliveryRecord[]> {
    const rows = await this.db
      .selectFrom('deliveries')
      .select(['local_date', 'status', 'reason', 'error', 'edition_key', 'planned_at', 'finished_at', 'bounced_at', 'bounce_type', 'complained_at', 'feedback'])
      .where('subscriber_id', '=', subscriberId)
      .orderBy('local_date')
      .execute();
    return rows.map((r) => ({
      localDate: r.local_date,
      status: r.status,
      reason: r.reason,
      error: r.error,
      editionKey: r.edition_key,
      plannedAt: r.planned_at,
      finishedAt: r.finished_at,
      bouncedAt: r.bounced_at,
      bounceType: r.bounce_type,
      complainedAt: r.complained_at,
      feedback: r.feedback,
    }));
  }

  /**
   * Erases a reader: topics, consent records and their transactional mail go, the profile becomes a stub whose only
   * identifier is `erased:<id>:<hash>`, SMTP errors that quoted the address lose it, and the
   * erasure log gets the hash. The address is free to subscribe again afterwards. Run it inside
   * a transaction.
   */
  async erase(subscriberId: number, email: string, emailHash: string, source: string, now: string): Promise<void> {
    await this.db.deleteFrom('subscriber_topics').where('subscriber_id', '=', subscriberId).execute();
    await this.db.deleteFrom('consent_records').where('subscriber_id', '=', subscriberId).execute();
    // Queued and sent transactional mail (confirmation, welcome) carries the address in full.
    await this.db.deleteFrom('mail_queue').where(sql`lower(to_address)`, '=', email.toLowerCase()).execute();
    const errors = await this.db.selectFrom('deliveries').select(['id', 'error']).where('subscriber_id', '=', subscriberId).where('error', 'is not', null).execute();
    const needle = new RegExp(email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
    for (const r of errors) {
      if (r.error && needle.test(r.error)) {
        await this.db.updateTable('deliveries').set({ error: r.error.replace(needle, `[erased ${emailHash.slice(0, 12)}]`) }).where('id', '=', r.id).execute();
      }
      needle.lastIndex = 0;
    }
    await this.db
      .updateTable('subscribers')
      .set({
        email: `erased:${subscriberId}:${emailHash}`,
        // The mailbox key is the address too (canonicalised); the stub must not hold it or block a return.
        email_key: `erased:${subscriberId}:${emailHash}`,
        name: null,
        timezone: null,
        status: 'unsubscribed',
        signing_key: randomBytes(16).toString('hex'),
        hard_bounces: 0,
        paused: 0,
        confirmed_at: null,
        unsubscribed_at: now,
        updated_at: now,
        frequency: 'daily',
        weekday: null,
        send_time: null,
        erased_at: now,
      })
      .where('id', '=', subscriberId)
      .execute();
    await this.scrubFeedback(subscriberId, email, needle, emailHash);
    await new SuppressionRepository(this.db).hashForErasure(email);
    await this.db.insertInto('erasures').values({ email_hash: emailHash, erased_at: now, source }).execute();
  }

  /**
   * Bounce and complaint reports name the address (recipient, summaries): keep their counts and
   * dates, drop the address.
   */
  private async scrubFeedback(subscriberId: number, email: string, needle: RegExp, emailHash: string): Promise<void> {
    const marker = `[erased ${emailHash.slice(0, 12)}]`;
    const events = await this.db
      .selectFrom('feedback_events')
      .select(['id', 'summary'])
      .where((w) => w.or([w('subscriber_id', '=', subscriberId), w(sql`lower(recipient)`, '=', email.toLowerCase())]))
      .execute();
    for (const e of events) {
      needle.lastIndex = 0;
      await this.db.updateTable('feedback_events').set({ recipient: null, summary: e.summary.replace(needle, marker) }).where('id', '=', e.id).execute();
    }
    const reports = await this.db.selectFrom('deliveries').select(['id', 'feedback']).where('subscriber_id', '=', subscriberId).where('feedback', 'is not', null).execute();
    for (const r of reports) {
      needle.lastIndex = 0;
      if (r.feedback) await this.db.updateTable('deliveries').set({ feedback: r.feedback.replace(needle, marker) }).where('id', '=', r.id).execute();
    }
  }

  /**
   * Folds finished ledger rows for local dates before `beforeDate` into per-day counts and deletes
   * them. Planned and in-flight rows are never pruned. Run it inside a transaction.
   */
  async pruneDeliveries(beforeDate: string): Promise<number> {
    const counts = await this.db
      .selectFrom('deliveries')
      .select(['local_date', 'status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('local_date', '<', beforeDate)
      .where('status', 'in', ['sent', 'failed', 'skipped'])
      .groupBy(['local_date', 'status'])
      .execute();
    for (const c of counts) {
      await this.db
        .insertInto('delivery_day_counts')
        .values({ local_date: c.local_date, status: c.status, count: Number(c.n) })
        .onConflict((oc) => oc.columns(['local_date', 'status']).doUpdateSet((eb) => ({ count: eb('delivery_day_counts.count', '+', eb.ref('excluded.count')) })))
        .execute();
    }
    const r = await this.db.deleteFrom('deliveries').where('local_date', '<', beforeDate).where('status', 'in', ['sent', 'failed', 'skipped']).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  /** Per-day counts kept from pruned rows. */
  async dayCounts(): Promise<Array<{ localDate: string; status: string; count: number }>> {
    const rows = await this.db.selectFrom('delivery_day_counts').selectAll().orderBy('local_date').orderBy('status').execute();
    return rows.map((r) => ({ localDate: r.local_date, status: r.status, count: Number(r.count) }));
  }

  /** Deletes signups still pending (never confirmed) since before `beforeIso`. */
  async deleteStalePending(beforeIso: string): Promise<number> {
    const r = await this.db
      .deleteFrom('subscribers')
      .where('status', '=', 'pending')
      .where('confirmed_at', 'is', null)
      .where('updated_at', '<', beforeIso)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
