import { Webhook as Signer } from 'standardwebhooks';
import type { Logger } from '../logger.js';
import { createBackgroundDrain } from './background-drain.js';
import type { DueWebhookDelivery, WebhookRepository } from '../store/webhook-repository.js';

/** How the webhook sender behaves. */
export interface WebhookSenderOptions {
  /** Backoff before attempt n+1 is retryBaseMs * 2^(n-1), at most six hours. */
  retryBaseMs?: number;
  /** How long after the event a failing delivery is still retried (24 hours). */
  giveUpAfterMs?: number;
  /** Per-request timeout. */
  timeoutMs?: number;
  /** How often a started sender looks for due retries. */
  pollMs?: number;
  now?: () => Date;
}

/** The background sender of outbound webhooks. */
export interface WebhookSender {
  /** Drains due deliveries soon, in the background; callers never wait on an endpoint. */
  kick(): void;
  /** Keeps draining every `pollMs` until {@link stop}. */
  start(): void;
  /** Resolves once nothing is being drained. */
  idle(): Promise<void>;
  /** Stops claiming and waits for the request in flight (bounded by the timeout). */
  stop(): Promise<void>;
}

const DAY_MS = 86_400_000;

/**
 * Posts queued events, signed per Standard Webhooks (webhook-id, webhook-timestamp,
 * webhook-signature). A 2xx is delivered; anything else (status, timeout, refused connection) is
 * retried with exponential backoff until 24 hours after the event, then marked failed.
 */
export function createWebhookSender(deps: { webhooks: Pick<WebhookRepository, 'claimNext' | 'finish'>; logger: Logger }, options: WebhookSenderOptions = {}): WebhookSender {
  const now = options.now ?? (() => new Date());
  const timeoutMs = options.timeoutMs ?? 10_000;
  const retryBase = options.retryBaseMs ?? 30_000;
  const giveUpAfter = options.giveUpAfterMs ?? DAY_MS;
  let retryTimer: { at: number; timer: NodeJS.Timeout } | undefined;

  /** Wakes this process for its own earliest retry, sooner than the poll would. */
  function wakeAt(at: Date): void {
    if (loop.stopped || (retryTimer && retryTimer.at <= at.getTime())) return;
    if (retryTimer) clearTimeout(retryTimer.timer);
    const timer = setTimeout(() => {
      retryTimer = undefined;
      loop.kick();
    }, Math.max(0, at.getTime() - now().getTime()));
    timer.unref();
    retryTimer = { at: at.getTime(), timer };
  }

  async function post(d: DueWebhookDelivery): Promise<{ httpStatus: number | null; error: string | null }> {
    const sentAt = now();
    const signature = new Signer(d.secret).sign(d.messageId, sentAt, d.payload);
    try {
      const res = await fetch(d.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'topic-digest-webhooks',
          'webhook-id': d.messageId,
          'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
          'webhook-signature': signature,
        },
        body: d.payload,
      });
      await res.body?.cancel().catch(() => undefined);
      return { httpStatus: res.status, error: res.ok ? null : `the endpoint answered ${res.status}` };
    } catch (err) {
      const cause = err instanceof Error && err.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : err instanceof Error ? String((err.cause as Error | undefined)?.message ?? err.message) : String(err);
      return { httpStatus: null, error: cause };
    }
  }

  async function sendOne(d: DueWebhookDelivery): Promise<void> {
    const outcome = await post(d);
    const at = now();
    if (outcome.error === null) {
      await deps.webhooks.finish(d.id, { status: 'delivered', ...outcome }, at);
      return;
    }
    const retryAt = new Date(at.getTime() + Math.min(retryBase * 2 ** (d.attempts - 1), 6 * 3_600_000));
    const expired = retryAt.getTime() - Date.parse(d.createdAt) > giveUpAfter;
    deps.logger.warn('webhook delivery failed', { webhook: d.webhookId, delivery: d.id, attempt: d.attempts, error: outcome.error, retrying: !expired });
    await deps.webhooks.finish(d.id, expired ? { status: 'failed', ...outcome } : { status: 'pending', ...outcome, retryAt }, at);
    if (!expired) wakeAt(retryAt);
  }

  const loop = createBackgroundDrain(drain, { logger: deps.logger, failure: 'the webhook queue could not be drained', pollMs: options.pollMs ?? 5_000 });

  async function drain(): Promise<void> {
    // The lease outlasts the request timeout, so a live sender's row is never taken twice.
    const leaseSeconds = Math.ceil(timeoutMs / 1000) + 30;
    while (!loop.stopped) {
      const d = await deps.webhooks.claimNext(now(), leaseSeconds);
      if (!d) break;
      await sendOne(d);
    }
  }

  return {
    kick: loop.kick,
    start: loop.start,
    idle: loop.idle,
    stop: async () => {
      if (retryTimer) clearTimeout(retryTimer.timer);
      await loop.stop();
    },
  };
}
