import { setTimeout as sleep } from 'node:timers/promises';
import type { MessageParts, PersonalValues } from '../model/edition.js';
import type { Logger } from '../logger.js';
import type { LinkBuilder } from '../security/subscriber-links.js';
import type { DeliveryJob, DeliveryLedger } from '../store/delivery-ledger.js';
import type { EditionRepository } from '../store/edition-repository.js';
import type { SubscriberRepository } from '../store/subscriber-repository.js';
import { digestAddressing, type DigestAddressing } from './digest-message.js';
import { newMessageId } from './headers.js';
import type { Mailer } from './mailer.js';
import type { EncodedEdition } from './mime/encoded-edition.js';
import { classifySmtpError, SmtpFailure } from './smtp-failure.js';

/** Fills one rendered edition for one reader; built once per edition, called once per reader. */
export type Personaliser = (values: PersonalValues) => MessageParts;

/** What the sender depends on: the ledger, the editions, the mailer, and nothing of the planner. */
export interface SendDeps {
  ledger: Pick<DeliveryLedger, 'claimBatch' | 'claim' | 'markSent' | 'markFailed' | 'release' | 'markUncertain' | 'renew' | 'releaseUnstarted'>;
  editions: Pick<EditionRepository, 'get'>;
  subscribers: Pick<SubscriberRepository, 'recordHardBounce' | 'setStatus'>;
  mailer: Mailer;
  links: LinkBuilder;
  compilePersonaliser: (parts: MessageParts) => Personaliser;
  logger: Logger;
}

/** How a send pass behaves. */
export interface SendOptions {
  /** Identifies this process in leases. */
  owner: string;
  /** Deliveries leased per claim; a dead worker's unstarted batch waits out one lease. */
  batchSize?: number;
  leaseSeconds: number;
  /** Messages in flight at once; matches the SMTP pool size. */
  concurrency: number;
  bounceLimit: number;
  listId: string;
  /** The From address; Message-IDs are minted on its domain. */
  fromAddress: string;
  unsubscribeMailto?: string;
  /** Attempts per message for transient failures, within this run. */
  maxAttempts?: number;
  /** Attempts per message across all runs, after which a transiently failing delivery is marked failed. */
  maxTotalAttempts?: number;
  /** Backoff before attempt n+1 is retryBaseMs * 4^(n-1). */
  retryBaseMs?: number;
  /** Consecutive transient failures across the run after which it stops: SMTP is down, not one reader. */
  maxConsecutiveFailures?: number;
  onlyEmail?: string;
  /** The envelope sender for one delivery (VERP); absent keeps the From address. */
  envelopeFrom?: (deliveryId: number) => string;
  /** Resolves when the global rate allows one more message. */
  waitForSlot?: () => Promise<void>;
  signal?: AbortSignal;
  /**
   * The "pause all sending" switch. Asked before every claim and, between claims, at most once a
   * second before each message, so a pause stops the pass within one batch; unstarted claims go back.
   */
  isPaused?: () => Promise<boolean>;
  now?: () => Date;
  onProgress?: (result: SendResult) => void;
  /** Hears how long each successful SMTP hand-over took (for /metrics). */
  onSmtpLatency?: (seconds: number) => void;
}

/** The `stoppedBecause` of a pass the pause switch stopped. */
export const PAUSED = 'sending is paused (resume it in the console)';

/** What one send pass did. */
export interface SendResult {
  sent: number;
  failed: number;
  bounced: number;
  /** Still planned after transient failures; the next run picks them up. */
  deferred: number;
  /** Left `sending` by this pass: the message was handed over, then no reply came. Never resent automatically. */
  uncertain: number;
  /** Why the pass stopped early, if it did. */
  stoppedBecause?: string;
  /** Set when the stop was the store failing (the CLI then exits non-zero). */
  storeFailed?: boolean;
}

interface CachedEdition {
  personalise: Personaliser;
  /** Encoded once when the mailer takes spliced bytes. */
  encoded?: EncodedEdition;
}

/**
 * Sends every planned delivery. Each message is claimed (`planned → sending`) and committed
 * before the SMTP transaction and recorded (`sent`/`failed`) right after it, so a crash leaves
 * only in-flight rows uncertain and never sends anything twice.
 */
export async function sendPlanned(deps: SendDeps, options: SendOptions): Promise<SendResult> {
  const now = options.now ?? (() => new Date());
  const maxAttempts = options.maxAttempts ?? 3;
  const maxTotalAttempts = options.maxTotalAttempts ?? 12;
  const retryBase = options.retryBaseMs ?? 1000;
  const maxConsecutive = options.maxConsecutiveFailures ?? 25;
  const result: SendResult = { sent: 0, failed: 0, bounced: 0, deferred: 0, uncertain: 0 };
  const cache = new Map<string, Promise<CachedEdition | undefined>>();
  let consecutiveFailures = 0;
  let queue: DeliveryJob[] = [];
  let exhausted = false;
  let refill: Promise<void> | undefined;

  const stop = (why: string) => {
    result.stoppedBecause ??= why;
  };
  const stopped = () => result.stoppedBecause !== undefined || options.signal?.aborted === true;
  // Named at once: what fails after the signal (the message in flight) is not why the pass stopped.
  const onAbort = () => stop('interrupted');
  options.signal?.addEventListener('abort', onAbort, { once: true });

  let pauseCheckedAt = -Infinity;
  async function checkPause(force: boolean): Promise<void> {
    if (!options.isPaused || stopped() || (!force && Date.now() - pauseCheckedAt < 1000)) return;
    pauseCheckedAt = Date.now();
    if (await options.isPaused()) stop(PAUSED);
  }

  async function nextJob(): Promise<DeliveryJob | undefined> {
    await checkPause(queue.length === 0);
    while (queue.length === 0 && !exhausted && !stopped()) {
      refill ??= (async () => {
        const page = await deps.ledger.claimBatch(options.owner, options.batchSize ?? 100, options.leaseSeconds, now(), options.onlyEmail);
        if (page.length === 0) exhausted = true;
        queue = queue.concat(page);
      })().finally(() => (refill = undefined));
      await refill;
    }
    return stopped() ? undefined : queue.shift();
  }

  function edition(key: string): Promise<CachedEdition | undefined> {
    let entry = cache.get(key);
    if (!entry) {
      // FIFO, not LRU: claims come ordered by edition, so a small cache hits; each entry holds an encoded edition.
      if (cache.size >= 64) cache.delete(cache.keys().next().value!);
      const encoder = deps.mailer.encoded;
      entry = deps.editions.get(key).then((e) => e && { personalise: deps.compilePersonaliser(e), ...(encoder ? { encoded: encoder.encodeEdition(e) } : {}) });
      cache.set(key, entry);
    }
    return entry;
  }

  async function deliver(job: DeliveryJob): Promise<void> {
    const ed = await edition(job.editionKey);
    if (!ed) {
      await deps.ledger.markFailed(job.id, `edition ${job.editionKey} is missing from the store`, now().toISOString());
      result.failed++;
      return;
    }
    const addressing = digestAddressing(
      { id: job.subscriberId, publicId: job.publicId, email: job.email, name: job.name, signingKey: job.signingKey },
      job.editionKey,
      deps.links,
      { listId: options.listId, ...(options.unsubscribeMailto ? { unsubscribeMailto: options.unsubscribeMailto } : {}) },
      job.id,
    );
    for (let tries = 1; ; tries++) {
      const attempt = job.attempts + tries;
      const messageId = newMessageId(options.fromAddress);
      // Built before the claim: a message that cannot be built never leaves a row uncertain.
      const transmit = prepareSend(ed, addressing, messageId, options.envelopeFrom?.(job.id));
      // Waited for before the claim: a process that dies while waiting leaves the row planned, not uncertain.
      await options.waitForSlot?.();
      if (stopped()) return;
      if (!(await deps.ledger.claim(job.id, options.owner, messageId, options.leaseSeconds, now()))) return;
      const started = performance.now();
      try {
        await transmit();
      } catch (err) {
        if (await handleFailure(job, classifySmtpError(err), tries, attempt)) {
          await sleep(retryBase * 4 ** (tries - 1), undefined, { signal: options.signal }).catch(() => undefined);
          if (stopped()) return;
          continue;
        }
        return;
      }
      options.onSmtpLatency?.((performance.now() - started) / 1000);
      // Recorded outside the SMTP try: once the server has taken the message, a store failure
      // must never send it again. The row stays `sending` (uncertain) and the run stops.
      try {
        if (!(await deps.ledger.markSent(job.id, options.owner, messageId, now().toISOString()))) {
          deps.logger.warn('a sent delivery was no longer ours to record', { delivery: job.id, to: job.email });
        }
        result.sent++;
        consecutiveFailures = 0;
      } catch (err) {
        deps.logger.error('the server accepted a message but recording it failed; it stays uncertain', { delivery: job.id, to: job.email, error: String(err) });
        stop(`could not record delivery ${job.id} as sent: ${err instanceof Error ? err.message : String(err)}`);
        result.storeFailed = true;
      }
      return;
    }
  }

  /** Splices the reader into the encoded edition when the mailer takes bytes, else builds the message; returns the send. */
  function prepareSend(ed: CachedEdition, a: DigestAddressing, messageId: string, envelopeFrom: string | undefined): () => Promise<unknown> {
    const encoded = deps.mailer.encoded;
    const envelope = envelopeFrom ? { envelopeFrom } : {};
    if (ed.encoded && encoded) {
      const spliced = ed.encoded.message({ ...a, messageId, date: new Date() });
      return () => encoded.sendSpliced(spliced, { messageId, ...envelope });
    }
    const message = { to: a.to, ...ed.personalise(a.values), list: a.list, headers: a.headers, messageId, ...envelope };
    return () => deps.mailer.send(message);
  }

  /** Records a failure; returns true when the message should be tried again. */
  async function handleFailure(job: DeliveryJob, failure: SmtpFailure, tries: number, attempt: number): Promise<boolean> {
    const stamp = now().toISOString();
    deps.logger.warn('send failed', { to: job.email, kind: failure.kind, attempt, error: failure.message });
    if (failure.kind === 'transient' && attempt >= maxTotalAttempts) {
      // A mailbox that refuses for days is not going to take this digest; stop retrying it.
      failure = new SmtpFailure('message-rejected', `gave up after ${attempt} attempts; last: ${failure.message}`, failure.responseCode, failure);
    }
    // A relay that went silent would make every further message wait the timeout out too (and,
    // after DATA, leave each one uncertain): stop the pass; the rest stay planned for the next.
    if (failure.silent) stop(`the SMTP server stopped answering within SMTP_TIMEOUT_SECONDS: ${failure.message}`);
    if (failure.kind === 'uncertain') {
      // The server may have it: resending could deliver it twice. The operator settles it.
      await deps.ledger.markUncertain(job.id, options.owner, failure.message);
      result.uncertain++;
      if (++consecutiveFailures >= maxConsecutive) stop(`${consecutiveFailures} SMTP failures in a row; last: ${failure.message}`);
      return false;
    }
    if (failure.kind === 'transient' || failure.kind === 'fatal') {
      await deps.ledger.release(job.id, failure.message);
      if (failure.kind === 'fatal') {
        stop(failure.message);
        return false;
      }
      if (++consecutiveFailures >= maxConsecutive) stop(`${consecutiveFailures} transient SMTP failures in a row; last: ${failure.message}`);
      if (tries < maxAttempts && !stopped()) return true;
      result.deferred++;
      return false;
    }
    consecutiveFailures = 0;
    await deps.ledger.markFailed(job.id, failure.message, stamp);
    result.failed++;
    if (failure.kind === 'recipient-rejected') {
      const bounces = await deps.subscribers.recordHardBounce(job.subscriberId, stamp);
      if (bounces >= options.bounceLimit) {
        await deps.subscribers.setStatus(job.subscriberId, 'bounced', stamp);
        result.bounced++;
        deps.logger.warn('address marked bounced', { to: job.email, hardBounces: bounces });
      }
    }
    return false;
  }

  async function worker(): Promise<void> {
    for (let job = await nextJob(); job; job = await nextJob()) {
      await deliver(job);
      options.onProgress?.(result);
    }
  }

  // The heartbeat: a live sender's rows are never taken over, however slow the relay.
  const heartbeat = setInterval(() => {
    deps.ledger.renew(options.owner, options.leaseSeconds, now()).catch((err: unknown) => deps.logger.warn('could not renew delivery leases', { error: String(err) }));
  }, (options.leaseSeconds * 1000) / 3);
  heartbeat.unref();
  try {
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  } finally {
    clearInterval(heartbeat);
    // Workers reuse one signal for every pass: leave no listener behind.
    options.signal?.removeEventListener('abort', onAbort);
  }
  // Claimed but never started (the pass stopped early): others need not wait out the lease.
  if (queue.length > 0) {
    // Best effort: if the store is failing, the next run takes these over anyway.
    await deps.ledger.releaseUnstarted(options.owner, queue.map((j) => j.id)).catch((err: unknown) => deps.logger.warn('could not return unstarted deliveries to the pool', { error: String(err) }));
  }
  if (options.signal?.aborted) stop('interrupted');
  return result;
}
