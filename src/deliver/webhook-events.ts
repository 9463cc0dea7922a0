import { randomBytes, randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';
import type { WebhookRepository } from '../store/webhook-repository.js';

/** Every event an outbound webhook can subscribe to. */
export const WEBHOOK_EVENTS = [
  'subscriber.created',
  'subscriber.confirmed',
  'subscriber.updated',
  'subscriber.unsubscribed',
  'subscriber.bounced',
  'subscriber.complained',
  'digest.run.completed',
  'source.failed',
] as const;

/** One outbound event type. */
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

/** Emits events to the subscribed webhooks. */
export interface Events {
  /**
   * Queues the event for every webhook subscribed to it (one insert) and nudges the sender.
   * Never throws and never waits on an endpoint: a webhook must not break a signup or a run.
   */
  emit(type: WebhookEventType, data: Record<string, unknown>): Promise<void>;
}

/** True when `name` is a known event type. */
export function isWebhookEvent(name: string): name is WebhookEventType {
  return (WEBHOOK_EVENTS as readonly string[]).includes(name);
}

/** A new Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** Builds the events service over the webhook queue. */
export function createEvents(deps: { webhooks: Pick<WebhookRepository, 'enqueue'>; kick: () => void; logger: Logger; now?: () => Date }): Events {
  return {
    async emit(type, data) {
      const at = (deps.now ?? (() => new Date()))();
      const payload = JSON.stringify({ type, timestamp: at.toISOString(), data });
      try {
        if ((await deps.webhooks.enqueue(type, payload, `msg_${randomUUID()}`, at.toISOString())) > 0) deps.kick();
      } catch (err) {
        deps.logger.error('could not queue a webhook event', { event: type, error: String(err) });
      }
    },
  };
}

/** A reader as event data: what another system needs, never the token-signing key. */
export function subscriberEventData(s: { id: number; publicId: string; email: string; name: string | null; status: string; topics: string[]; timezone: string | null }): Record<string, unknown> {
  return { id: s.id, publicId: s.publicId, email: s.email, name: s.name, status: s.status, topics: s.topics, timezone: s.timezone };
}

/** Reads `--events a,b`: every name must be a known event; says which are not. */
export function parseWebhookEvents(list: string): WebhookEventType[] | { unknown: string[] } {
  const names = [...new Set(list.split(',').map((s) => s.trim()).filter(Boolean))];
  const unknown = names.filter((n) => !isWebhookEvent(n));
  if (unknown.length > 0 || names.length === 0) return { unknown };
  return names as WebhookEventType[];
}

/** True for a Standard Webhooks secret: `whsec_` and base64 of 24 to 64 bytes. */
export function isWebhookSecret(secret: string): boolean {
  const m = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec(secret);
  if (!m) return false;
  const bytes = Buffer.from(m[1]!, 'base64').length;
  return bytes >= 24 && bytes <= 64;
}
