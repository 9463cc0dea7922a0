import { sql } from 'kysely';
import type { ListHeaders } from '../model/message.js';
import type { Db } from './database.js';
import { goneOwners, goneReason } from './delivery-leases.js';
import { isPostgres } from './dialect.js';
import type { SenderLiveness } from './sender-liveness.js';

/** A transactional email as the page stores it, fully rendered. */
export interface QueuedMailInput {
  kind: string;
  to: { address: string; name?: string | null };
  subject: string;
  html: string;
  text: string;
  /** List-* headers for list mail (the welcome email), sent with it. */
  list?: ListHeaders;
}

/** A queued email as the sender claims it. */
export interface QueuedMail extends QueuedMailInput {
  id: number;
  attempts: number;
}

/** The queue's backlog, for /healthz. */
export interface QueueHealth {
  /** Messages not yet sent: queued (including those waiting for a retry) or in flight. */
  depth: number;
  /** Age of the oldest waiting message in seconds; 0 when none waits. */
  oldestAgeSeconds: number;
  /** Messages whose fate is unknown (no reply after DATA, or their sender died mid-send). */
  uncertain: number;
}

/**
 * Transactional mail, stored by the pages and sent by the sender, with the ledger's rules: a
 * message is claimed (`queued → sending`) before SMTP and recorded right after; one left
 * `sending` without a lease is uncertain and never sent again automatically.
 */
export class MailQueueRepository {
  constructor(
    private readonly db: Db,
    private readonly liveness: SenderLiveness,
  ) {}

  /** Stores one message for the sender; returns its id. */
  async enqueue(mail: QueuedMailInput, now: Date): Promise<number> {
    const row = await this.db
      .insertInto('mail_queue')
      .values({
        kind: mail.kind,
        to_address: mail.to.address,
        to_name: mail.to.name ?? null,
        subject: mail.subject,
        html: mail.html,
        text: mail.text,
        list_headers: mail.list ? JSON.stringify(mail.list) : null,
        status: 'queued',
        next_attempt_at: now.toISOString(),
        created_at: now.toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  /** Claims the oldest due message for `owner` (`queued → sending`, leased), or none. */
  async claimNext(owner: string, messageId: string, leaseSeconds: number, now: Date): Promise<QueuedMail | undefined> {
    const nowIso = now.toISOString();
    const row = await this.db
      .updateTable('mail_queue')
      .set((eb) => ({
        status: 'sending',
        lease_owner: owner,
        lease_until: new Date(now.getTime() + leaseSeconds * 1000).toISOString(),
        message_id: messageId,
        attempts: eb('attempts', '+', 1),
      }))
      .where('id', '=', (eb) => {
        let q = eb.selectFrom('mail_queue as q').select('q.id').where('q.status', '=', 'queued').where('q.next_attempt_at', '<=', nowIso).orderBy('q.id').limit(1);
        if (isPostgres(this.db)) q = q.forUpdate().skipLocked();
        return q;
      })
      .where('status', '=', 'queued')
      .returning(['id', 'kind', 'to_address', 'to_name', 'subject', 'html', 'text', 'attempts', 'list_headers'])
      .executeTakeFirst();
    if (!row) return undefined;
    const list = row.list_headers ? { list: JSON.parse(row.list_headers) as ListHeaders } : {};
    return { id: Number(row.id), kind: row.kind, to: { address: row.to_address, name: row.to_name }, subject: row.subject, html: row.html, text: row.text, attempts: row.attempts, ...list };
  }

  /** Records what happened to a claimed message; only its claimant may. */
  async finish(id: number, owner: string, outcome: { status: 'sent' | 'failed'; error?: string } | { status: 'queued'; error: string; retryAt: Date } | { status: 'uncertain'; error: string }, now: Date): Promise<void> {
    const set =
      outcome.status === 'queued'
        ? { status: 'queued' as const, error: outcome.error, next_attempt_at: outcome.retryAt.toISOString(), lease_owner: null, lease_until: null }
        : outcome.status === 'uncertain'
          ? { error: outcome.error, lease_until: null }
          : { status: outcome.status, error: outcome.error ?? null, finished_at: now.toISOString(), lease_until: null };
    await this.db.updateTable('mail_queue').set(set).where('id', '=', id).where('status', '=', 'sending').where('lease_owner', '=', owner).execute();
  }

  /** The heartbeat: pushes out the lease of what `owner` is sending. */
  async renew(owner: string, leaseSeconds: number, now: Date): Promise<void> {
    await this.db
      .updateTable('mail_queue')
      .set({ lease_until: new Date(now.getTime() + leaseSeconds * 1000).toISOString() })
      .where('lease_owner', '=', owner)
      .where('status', '=', 'sending')
      .where('lease_until', 'is not', null)
      .execute();
  }

  /** Messages a gone sender was sending become uncertain (see DeliveryLeases.takeOverDeadOwners). */
  async takeOverDeadOwners(self: string, now: Date): Promise<number> {
    let n = 0;
    for (const { owner, proven } of await goneOwners(this.db, 'mail_queue', self, this.liveness)) {
      let q = this.db.updateTable('mail_queue').set({ lease_until: null, error: goneReason(owner, proven) }).where('lease_owner', '=', owner).where('status', '=', 'sending');
      if (!proven) q = q.where('lease_until', '<', now.toISOString());
      n += Number((await q.executeTakeFirst()).numUpdatedRows);
      if (proven) this.liveness.forget(owner);
    }
    return n;
  }

  /** Backlog figures for /healthz. */
  async health(now: Date): Promise<QueueHealth> {
    const row = await this.db
      .selectFrom('mail_queue')
      .select([
        sql<number>`sum(case when status = 'queued' or lease_until is not null then 1 else 0 end)`.as('depth'),
        sql<string | null>`min(case when status = 'queued' or lease_until is not null then created_at end)`.as('oldest'),
        sql<number>`sum(case when status = 'sending' and lease_until is null then 1 else 0 end)`.as('uncertain'),
      ])
      .where('status', 'in', ['queued', 'sending'])
      .executeTakeFirstOrThrow();
    const oldest = row.oldest ? Math.max(0, Math.round((now.getTime() - Date.parse(row.oldest)) / 1000)) : 0;
    return { depth: Number(row.depth ?? 0), oldestAgeSeconds: oldest, uncertain: Number(row.uncertain ?? 0) };
  }
}
