import { AppError } from '../errors.js';
import type { Store } from '../store/store.js';
import type { WebhookDelivery, WebhookHealth } from '../store/webhook-repository.js';
import { isWebhookSecret, newWebhookSecret, parseWebhookEvents, WEBHOOK_EVENTS } from './webhook-events.js';

/**
 * Managing outbound webhooks: the one home for their rules, used by `topic-digest webhooks …`
 * and the console alike. Secrets leave this module once, in {@link addWebhook}'s answer; nothing
 * else returns or logs them.
 */

/** An endpoint as operators see it: never its secret. */
export interface WebhookView extends WebhookHealth {
  id: number;
  url: string;
  events: string[];
  createdAt: string;
}

/** Longest URL accepted; endpoints are hand-typed, and this keeps pages and logs sane. */
const MAX_URL_LENGTH = 2000;

/** Reads a URL the sender can post to: absolute, http or https. */
export function parseWebhookUrl(raw: string): string {
  const text = raw.trim();
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new AppError('INPUT_INVALID', `"${text.slice(0, 200)}" is not a URL`, { hint: 'give the full address, e.g. https://hooks.example.com/topic-digest' });
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') {
    throw new AppError('INPUT_INVALID', `webhook URLs must be http or https, not ${u.protocol}`, { hint: 'e.g. https://hooks.example.com/topic-digest' });
  }
  if (u.href.length > MAX_URL_LENGTH) throw new AppError('INPUT_INVALID', `the URL is longer than ${MAX_URL_LENGTH} characters`);
  return u.href;
}

/**
 * Registers an endpoint after checking its URL, events and (optional) secret. Returns the
 * secret so the caller can show it once; `generated` says whether it was made here.
 */
export async function addWebhook(store: Pick<Store, 'webhooks'>, input: { url: string; events: readonly string[]; secret?: string | undefined }, now: Date): Promise<{ webhook: WebhookView; secret: string; generated: boolean }> {
  const url = parseWebhookUrl(input.url);
  const events = parseWebhookEvents(input.events.join(','));
  if (!Array.isArray(events)) {
    throw new AppError('INPUT_INVALID', events.unknown.length ? `unknown events: ${events.unknown.join(', ')}` : 'no events chosen', { hint: `choose from ${WEBHOOK_EVENTS.join(', ')}` });
  }
  if (input.secret !== undefined && !isWebhookSecret(input.secret)) {
    throw new AppError('INPUT_INVALID', 'the secret is not a Standard Webhooks secret', { hint: 'use whsec_ followed by base64 of 24 to 64 random bytes, or leave the secret out to have one made' });
  }
  const secret = input.secret ?? newWebhookSecret();
  const hook = await store.webhooks.add(url, events, secret, now.toISOString());
  if (!hook) throw new AppError('INPUT_INVALID', `${url} is already a webhook`, { hint: 'remove it first to change its events or secret' });
  return { webhook: { id: hook.id, url, events, createdAt: hook.createdAt, ...NO_HEALTH }, secret, generated: input.secret === undefined };
}

const NO_HEALTH: WebhookHealth = { lastSuccessAt: null, lastFailureAt: null, lastError: null, pending: 0 };

/** Every endpoint, oldest first, with its last success and failure; never a secret. */
export async function listWebhooks(store: Pick<Store, 'webhooks'>): Promise<WebhookView[]> {
  const [hooks, health] = await Promise.all([store.webhooks.list(), store.webhooks.health()]);
  return hooks.map(({ id, url, events, createdAt }) => ({ id, url, events, createdAt, ...(health.get(id) ?? NO_HEALTH) }));
}

/** One endpoint by id, without its secret. */
export async function findWebhook(store: Pick<Store, 'webhooks'>, id: number): Promise<WebhookView | undefined> {
  return (await listWebhooks(store)).find((h) => h.id === id);
}

/** Removes an endpoint (by id or URL) and its log; says so when there is none. */
export async function removeWebhook(store: Pick<Store, 'webhooks'>, idOrUrl: string): Promise<void> {
  if (!(await store.webhooks.remove(idOrUrl))) throw new AppError('INPUT_INVALID', `no webhook ${idOrUrl.slice(0, 200)}`, { hint: 'see `topic-digest webhooks list`' });
}

/**
 * Queues a delivery again now: the same payload and webhook-id (receivers dedupe on it, per
 * Standard Webhooks) as a new attempt. `webhookId`, when given, must own the delivery, so a
 * console form cannot resend another endpoint's event by changing a number.
 */
export async function resendWebhookDelivery(store: Pick<Store, 'webhooks'>, deliveryId: number, now: Date, webhookId?: number): Promise<WebhookDelivery> {
  const d = await store.webhooks.get(deliveryId);
  if (!d || (webhookId !== undefined && d.webhookId !== webhookId)) {
    throw new AppError('INPUT_INVALID', `no webhook delivery ${deliveryId}`, { hint: 'see `topic-digest webhooks log`' });
  }
  if (!(await store.webhooks.resend(deliveryId, now.toISOString()))) {
    throw new AppError('INPUT_INVALID', `webhook delivery ${deliveryId} is being sent right now`, { hint: 'wait for this attempt to finish, then resend if it failed' });
  }
  return d;
}
