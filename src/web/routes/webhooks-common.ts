import type { FastifyReply, FastifyRequest } from 'fastify';
import { recordFeedback } from '../../feedback/record-feedback.js';
import type { ProviderEvent } from '../../feedback/webhooks/provider-event.js';
import { messageOf } from '../../errors.js';
import type { RouteContext } from '../web-context.js';

/** What recording provider events needs: the feedback rules, a log, and store transactions. */
export type WebhookCtx = RouteContext<'config' | 'feedbackRules' | 'logger', 'feedback' | 'transaction'>;

/** What every webhook route shares: raw-body reading, the answers, and recording events. */

/** Records each event; a store failure is a 500 so the provider retries (nothing half-kept: one transaction per event, each idempotent). */
export async function store(ctx: WebhookCtx, reply: FastifyReply, source: string, events: ProviderEvent[], watchRates?: () => Promise<void>): Promise<FastifyReply> {
  let recorded = 0;
  let duplicates = 0;
  try {
    for (const e of events) {
      const out = await recordFeedback(ctx.app.store, ctx.app.feedbackRules, e.report, { name: source, eventId: e.eventId });
      if (out.duplicate) duplicates++;
      else recorded++;
      if (!out.duplicate && out.kind !== 'ignored') ctx.app.logger.info('webhook feedback recorded', { source, kind: out.kind, to: out.email, matchedBy: out.matchedBy, action: out.action });
    }
  } catch (err) {
    ctx.app.logger.error('could not store webhook feedback; the provider will retry', { source, error: messageOf(err) });
    return reply.status(500).send({ error: 'could not store the events; retry later' });
  }
  if (recorded > 0) await watchRates?.().catch(() => undefined);
  return reply.status(200).send({ recorded, duplicates });
}

/** 404 for a webhook whose secret is not configured: it does not exist. */
export function off(reply: FastifyReply): FastifyReply {
  return reply.status(404).send({ error: 'this webhook is not enabled' });
}

/** 400 with a reason. */
export function badRequest(reply: FastifyReply, why: string): FastifyReply {
  return reply.status(400).send({ error: why });
}

/** The raw body bytes. */
export function rawBody(request: FastifyRequest): Buffer {
  return Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
}

/** The body as JSON, or undefined when it is not JSON. */
export function json(request: FastifyRequest): unknown {
  try {
    return JSON.parse(rawBody(request).toString('utf8'));
  } catch {
    return undefined;
  }
}

