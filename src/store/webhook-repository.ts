import { sql, type Selectable } from 'kysely';
import type { Db } from './database.js';
import type { WebhookDeliveriesTable } from './schema.js';

/** A registered outbound webhook endpoint. */
export interface Webhook {
  id: number;
  url: string;
  events: string[];
  /** The Standard Webhooks secret (`whsec_…`). */
  secret: string;
  createdAt: string;
}

/** One queued or finished webhook delivery: the per-webhook log. */
export interface WebhookDelivery {
  id: number;
  webhookId: number;
  messageId: string;
  eventType: string;
  payload: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: string;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/** One attempt in a webhook's delivery log. */
export interface WebhookAttempt {
  id: number;
  deliveryId: number;
  attempt: number;
  attemptedAt: string;
  httpStatus: number | null;
  /** Null when the endpoint answered 2xx. */
  error: string | null;
  /** When the retry is due; null once delivered or given up. */
  nextAttemptAt: string | null;
  eventType: string;
  deliveryStatus: WebhookDelivery['status'];
}

/** How an endpoint has been doing, for the console's list. */
export interface WebhookHealth {
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  lastError: string | null;
  /** Deliveries still queued or waiting for a retry. */
  pending: number;
}

/** A claimed delivery with where it goes. */
export interface DueWebhookDelivery extends WebhookDelivery {
  url: string;
  secret: string;
}

/** Reads and writes outbound webhooks and their delivery queue. */
export class WebhookRepository {
  constructor(private readonly db: Db) {}

  /** Registers an endpoint; undefined when the URL is already registered. */
  async add(url: string, events: string[], secret: string, now: string): Promise<Webhook | undefined> {
    const row = await this.db
      .insertInto('webhooks')
      .values({ url, events: events.join(' '), secret, created_at: now })
      .onConflict((oc) => oc.column('url').doNothing())
      .returningAll()
      .executeTakeFirst();
    return row && toWebhook(row);
  }

  /** Every endpoint, oldest first. */
  async list(): Promise<Webhook[]> {
    return (await this.db.selectFrom('webhooks').selectAll().orderBy('id').execute()).map(toWebhook);
  }

  /** Removes an endpoint (by id or URL) and its log; false when there was none. */
  async remove(idOrUrl: string): Promise<boolean> {
    const q = this.db.deleteFrom('webhooks');
    const r = await (/^\d+$/.test(idOrUrl) ? q.where('id', '=', Number(idOrUrl)) : q.where('url', '=', idOrUrl)).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /**
   * Queues one event for every endpoint subscribed to its type in one INSERT … SELECT, so the
   * caller (a signup, a run) pays one statement. Every endpoint gets the same webhook-id: it
   * names the message, as in Standard Webhooks. Returns how many deliveries were queued.
   */
  async enqueue(eventType: string, payload: string, messageId: string, now: string): Promise<number> {
    const r = await this.db
      .insertInto('webhook_deliveries')
      .columns(['webhook_id', 'message_id', 'event_type', 'payload', 'status', 'next_attempt_at', 'created_at'])
      .expression(
        this.db
          .selectFrom('webhooks')
          .select((eb) => ['id', eb.val(messageId).as('m'), eb.val(eventType).as('t'), eb.val(payload).as('p'), eb.val('pending').as('s'), eb.val(now).as('n'), eb.val(now).as('c')])
          // Events are stored space-separated; padding both ends makes the match whole-word.
          .where(sql<string>`' ' || events || ' '`, 'like', `% ${eventType} %`),
      )
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0);
  }

  /** Leases the next due delivery; concurrent senders never take the same row. */
  async claimNext(now: Date, leaseSeconds: number): Promise<DueWebhookDelivery | undefined> {
    const iso = now.toISOString();
    const until = new Date(now.getTime() + leaseSeconds * 1000).toISOString();
    for (let tries = 0; tries < 5; tries++) {
      const row = await this.db
        .selectFrom('webhook_deliveries as d')
        .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
        .selectAll('d')
        .select(['w.url', 'w.secret'])
        .where('d.status', '=', 'pending')
        .where('d.next_attempt_at', '<=', iso)
        .where((eb) => eb.or([eb('d.lease_until', 'is', null), eb('d.lease_until', '<', iso)]))
        .orderBy('d.next_attempt_at')
        .limit(1)
        .executeTakeFirst();
      if (!row) return undefined;
      // Compare-and-set on the lease: whoever loses the race looks again.
      const r = await this.db
        .updateTable('webhook_deliveries')
        .set({ lease_until: until, attempts: sql`attempts + 1` })
        .where('id', '=', row.id)
        .where('attempts', '=', row.attempts)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 1) return { ...toDelivery({ ...row, attempts: row.attempts + 1 }), url: row.url, secret: row.secret };
    }
    return undefined;
  }

  /**
   * Records an attempt's outcome: delivered, retry at `retryAt`, or failed for good. The attempt
   * also goes into the attempt log, numbered from the delivery's own counter.
   */
  async finish(id: number, outcome: { status: 'delivered' | 'failed' | 'pending'; httpStatus: number | null; error: string | null; retryAt?: Date }, now: Date): Promise<void> {
    const nextAt = outcome.status === 'pending' && outcome.retryAt ? outcome.retryAt.toISOString() : null;
    await this.db
      .insertInto('webhook_attempts')
      .columns(['delivery_id', 'webhook_id', 'attempt', 'attempted_at', 'http_status', 'error', 'next_attempt_at'])
      .expression(
        this.db
          .selectFrom('webhook_deliveries')
          .select((eb) => ['id', 'webhook_id', 'attempts', eb.val(now.toISOString()).as('at'), eb.val(outcome.httpStatus).as('hs'), eb.val(outcome.error).as('e'), eb.val(nextAt).as('n')])
          .where('id', '=', id),
      )
      .execute();
    await this.db
      .updateTable('webhook_deliveries')
      .set({
        status: outcome.status,
        lease_until: null,
        last_status: outcome.httpStatus,
        last_error: outcome.error,
        ...(outcome.retryAt ? { next_attempt_at: outcome.retryAt.toISOString() } : {}),
        ...(outcome.status === 'pending' ? {} : { finished_at: now.toISOString() }),
      })
      .where('id', '=', id)
      .execute();
  }

  /**
   * Queues a delivery again at once (same webhook-id, so receivers can dedupe). False when unknown,
   * or when a sender holds it right now: clearing a live lease would post it twice at once.
   */
  async resend(id: number, now: string): Promise<boolean> {
    const r = await this.db
      .updateTable('webhook_deliveries')
      .set({ status: 'pending', next_attempt_at: now, lease_until: null, finished_at: null })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** One webhook's attempts, newest first, with the event each carried and its delivery's state. */
  async attempts(webhookId: number, limit = 100): Promise<WebhookAttempt[]> {
    const rows = await this.db
      .selectFrom('webhook_attempts as a')
      .innerJoin('webhook_deliveries as d', 'd.id', 'a.delivery_id')
      .select(['a.id', 'a.delivery_id', 'a.attempt', 'a.attempted_at', 'a.http_status', 'a.error', 'a.next_attempt_at', 'd.event_type', 'd.status'])
      .where('a.webhook_id', '=', webhookId)
      .orderBy('a.id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: r.id, deliveryId: r.delivery_id, attempt: r.attempt, attemptedAt: r.attempted_at, httpStatus: r.http_status, error: r.error, nextAttemptAt: r.next_attempt_at, eventType: r.event_type, deliveryStatus: r.status }));
  }

  /** Per webhook id: when an attempt last succeeded and last failed (with why), and what waits. */
  async health(): Promise<Map<number, WebhookHealth>> {
    const out = new Map<number, WebhookHealth>();
    const get = (id: number) => out.get(id) ?? out.set(id, { lastSuccessAt: null, lastFailureAt: null, lastError: null, pending: 0 }).get(id)!;
    const attempts = await this.db
      .selectFrom('webhook_attempts')
      .select(['webhook_id', sql<string | null>`max(case when error is null then attempted_at end)`.as('ok'), sql<string | null>`max(case when error is not null then attempted_at end)`.as('bad')])
      .groupBy('webhook_id')
      .execute();
    for (const a of attempts) Object.assign(get(a.webhook_id), { lastSuccessAt: a.ok ?? null, lastFailureAt: a.bad ?? null });
    for (const [id, h] of out) {
      if (!h.lastFailureAt) continue;
      const row = await this.db.selectFrom('webhook_attempts').select('error').where('webhook_id', '=', id).where('attempted_at', '=', h.lastFailureAt).where('error', 'is not', null).orderBy('id', 'desc').executeTakeFirst();
      h.lastError = row?.error ?? null;
    }
    const pending = await this.db.selectFrom('webhook_deliveries').select((eb) => ['webhook_id', eb.fn.countAll<number>().as('n')]).where('status', '=', 'pending').groupBy('webhook_id').execute();
    for (const p of pending) get(p.webhook_id).pending = Number(p.n);
    return out;
  }

  /** The delivery log of one webhook (or all), newest first. */
  async log(webhookId: number | undefined, limit = 50): Promise<WebhookDelivery[]> {
    let q = this.db.selectFrom('webhook_deliveries').selectAll().orderBy('id', 'desc').limit(limit);
    if (webhookId !== undefined) q = q.where('webhook_id', '=', webhookId);
    return (await q.execute()).map(toDelivery);
  }

  /** One delivery by id. */
  async get(id: number): Promise<WebhookDelivery | undefined> {
    const row = await this.db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toDelivery(row);
  }

  /**
   * Deletes finished deliveries (delivered or given up) queued before `before`, with their
   * attempts; their payloads carry readers' addresses, so the log is kept no longer than the
   * mail ledger. Pending ones stay whatever their age. Returns how many went.
   */
  async pruneFinished(before: string): Promise<number> {
    const r = await this.db.deleteFrom('webhook_deliveries').where('status', '!=', 'pending').where('created_at', '<', before).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  /**
   * Deletes every delivery (and its attempts) whose payload carries `email`, in any case: part
   * of erasing a reader, whose address would otherwise outlive them in the queue and the log.
   */
  async forgetAddress(email: string): Promise<number> {
    const needle = JSON.stringify(email.toLowerCase()).replace(/[\\%_]/g, (c) => `\\${c}`);
    const r = await this.db.deleteFrom('webhook_deliveries').where(sql<boolean>`lower(payload) like ${`%${needle}%`} escape '\\'`).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  /** Deliveries still waiting to go out, for /metrics. */
  async pendingCount(): Promise<number> {
    const row = await this.db.selectFrom('webhook_deliveries').select(sql<number>`count(*)`.as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow();
    return Number(row.n);
  }
}

function toWebhook(r: { id: number; url: string; events: string; secret: string; created_at: string }): Webhook {
  return { id: r.id, url: r.url, events: r.events.split(' ').filter(Boolean), secret: r.secret, createdAt: r.created_at };
}

function toDelivery(r: Selectable<WebhookDeliveriesTable>): WebhookDelivery {
  return {
    id: r.id,
    webhookId: r.webhook_id,
    messageId: r.message_id,
    eventType: r.event_type,
    payload: r.payload,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastStatus: r.last_status,
    lastError: r.last_error,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
  };
}
