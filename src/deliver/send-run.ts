import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../logger.js';
import type { DeliveryJob, DeliveryLedger } from '../store/delivery-ledger.js';
import type { SubscriberRepository } from '../store/subscriber-repository.js';
import { JobPreparer, type PreparationDeps, type PreparationSettings, type Prepared, type Transmission } from './job-preparation.js';
import { ClaimQueue } from './claim-queue.js';
import { claimWhilePlanning, type RowFeed } from './row-feed.js';
import { decideAfterFailure, DEFAULT_RETRY_POLICY, type RetryDecision, type RetryPolicy } from './retry-decision.js';
import { classifySmtpError } from './smtp-failure.js';

export type { Personaliser } from './job-preparation.js';

/** What the sender depends on: the ledger, the editions, the mailer, and nothing of the planner. */
export interface SendDeps extends PreparationDeps {
  ledger: Pick<DeliveryLedger, 'claimBatch' | 'claim' | 'markSent' | 'markFailed' | 'release' | 'markUncertain' | 'renew' | 'releaseUnstarted'>;
  subscribers: Pick<SubscriberRepository, 'recordHardBounce' | 'setStatus'>;
  logger: Logger;
}

/** How a send pass behaves. */
export interface SendOptions extends PreparationSettings {
  /** Identifies this process in leases. */
  owner: string;
  /** Deliveries leased per claim; a dead worker's unstarted batch waits out one lease. */
  batchSize?: number;
  leaseSeconds: number;
  /** Messages in flight at once; matches the SMTP pool size. */
  concurrency: number;
  bounceLimit: number;
  /** Attempts per message for transient failures, within this run. */
  maxAttempts?: number;
  /** Attempts per message across all runs, after which a transiently failing delivery is marked failed. */
  maxTotalAttempts?: number;
  /** Backoff before attempt n+1 is retryBaseMs * 4^(n-1). */
  retryBaseMs?: number;
  /** Consecutive transient failures across the run after which it stops: SMTP is down, not one reader. */
  maxConsecutiveFailures?: number;
  onlyEmail?: string;
  /** Resolves when the global rate allows one more message. */
  waitForSlot?: () => Promise<void>;
  /**
   * A message prepared ahead that waited longer than this for its claim (a slow reply before it,
   * the rate limit) is made again, so its Date header and DKIM timestamp stay true. Default 10 s.
   */
  maxPreparedAgeMs?: number;
  signal?: AbortSignal;
  /**
   * The "pause all sending" switch. Asked before every claim and, between claims, at most once a
   * second before each message, so a pause stops the pass within one batch; unstarted claims go back.
   */
  isPaused?: () => Promise<boolean>;
  now?: () => Date;
  /** Rows still being planned: an empty claim waits for more instead of ending the pass (row-feed.ts). */
  feed?: RowFeed;
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

/** A job taken from the queue, with its preparation under way (undefined: its edition is gone). */
interface Taken {
  job: DeliveryJob;
  ready: Promise<Prepared | undefined>;
}

/**
 * Sends every planned delivery. Each message is claimed (`planned → sending`) and committed
 * before the SMTP transaction and recorded (`sent`/`failed`) right after it, so a crash leaves
 * only in-flight rows uncertain and never sends anything twice.
 */
export async function sendPlanned(deps: SendDeps, options: SendOptions): Promise<SendResult> {
  const pass = new SendPass(deps, options);
  // Named at once: what fails after the signal (the message in flight) is not why the pass stopped.
  const onAbort = () => pass.stop('interrupted');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  // The heartbeat: a live sender's rows are never taken over, however slow the relay.
  const heartbeat = setInterval(() => {
    deps.ledger.renew(options.owner, options.leaseSeconds, pass.now()).catch((err: unknown) => deps.logger.warn('could not renew delivery leases', { error: String(err) }));
  }, (options.leaseSeconds * 1000) / 3);
  heartbeat.unref();
  try {
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, () => pass.work()));
  } finally {
    clearInterval(heartbeat);
    // Workers reuse one signal for every pass: leave no listener behind.
    options.signal?.removeEventListener('abort', onAbort);
  }
  await pass.giveBackUnstarted();
  if (options.feed?.failure) pass.stop(options.feed.failure);
  if (options.signal?.aborted) pass.stop('interrupted');
  return pass.result;
}

/** One pass's state: its counters, why it stopped, the leased queue and the editions in use. */
class SendPass {
  readonly result: SendResult = { sent: 0, failed: 0, bounced: 0, deferred: 0, uncertain: 0 };
  readonly now: () => Date;
  private readonly policy: RetryPolicy;
  private readonly queue: ClaimQueue;
  private readonly preparer: JobPreparer;
  /** Failures in a row across the pass: many mean SMTP is down, not one reader. */
  private consecutiveFailures = 0;
  private pauseCheckedAt = -Infinity;
  /** Jobs taken from the queue and not yet claimed: given back with the queue's if the pass stops. */
  private readonly taken = new Set<number>();

  constructor(
    private readonly deps: SendDeps,
    private readonly options: SendOptions,
  ) {
    this.now = options.now ?? (() => new Date());
    this.policy = {
      maxAttempts: options.maxAttempts ?? DEFAULT_RETRY_POLICY.maxAttempts,
      maxTotalAttempts: options.maxTotalAttempts ?? DEFAULT_RETRY_POLICY.maxTotalAttempts,
      retryBaseMs: options.retryBaseMs ?? DEFAULT_RETRY_POLICY.retryBaseMs,
      maxConsecutiveFailures: options.maxConsecutiveFailures ?? DEFAULT_RETRY_POLICY.maxConsecutiveFailures,
    };
    const claim = () => deps.ledger.claimBatch(options.owner, options.batchSize ?? 100, options.leaseSeconds, this.now(), options.onlyEmail);
    this.queue = new ClaimQueue(claimWhilePlanning(claim, options.feed, () => this.stopped(), () => this.checkPause(true)));
    this.preparer = new JobPreparer(deps, options);
  }

  /** Stops the pass; the first reason given is the one reported. */
  stop(why: string): void {
    this.result.stoppedBecause ??= why;
    // A claim waiting for the planner wakes to see it.
    this.options.feed?.poke();
  }

  /** True once the pass is ending: stopped, its signal aborted, or planning failed under it. */
  stopped(): boolean {
    return this.result.stoppedBecause !== undefined || this.options.signal?.aborted === true || this.options.feed?.failure !== undefined;
  }

  /**
   * One worker: sends job after job until the queue is drained or the pass stops. Once a message
   * is handed to SMTP, the worker takes its next job and prepares it (splice, DKIM) while the
   * reply is awaited; that job is claimed only after this one is recorded, so no more rows are
   * `sending` at once than before.
   */
  async work(): Promise<void> {
    let next = await this.take();
    while (next) {
      let ahead: Promise<Taken | undefined> | undefined;
      await this.deliver(next, () => void (ahead ??= this.take()));
      this.options.onProgress?.(this.result);
      next = await (ahead ?? this.take());
    }
  }

  /** Leased but never started (the pass stopped early): others need not wait out the lease. */
  async giveBackUnstarted(): Promise<void> {
    const ids = [...this.queue.unstarted(), ...this.taken];
    if (ids.length === 0) return;
    // Best effort: if the store is failing, the next run takes these over anyway.
    await this.deps.ledger.releaseUnstarted(this.options.owner, ids).catch((err: unknown) => this.deps.logger.warn('could not return unstarted deliveries to the pool', { error: String(err) }));
  }

  /** The next job with its first attempt being prepared, or undefined when none is left. */
  private async take(): Promise<Taken | undefined> {
    const job = await this.nextJob();
    if (!job) return undefined;
    this.taken.add(job.id);
    const ready = this.preparer.prepare(job);
    // Awaited by deliver; a pass that stops before then must not leave a rejection unheard.
    ready.catch(() => undefined);
    return { job, ready };
  }

  private async nextJob(): Promise<DeliveryJob | undefined> {
    await this.checkPause(this.queue.empty);
    return this.queue.next(() => this.stopped());
  }

  /** Asks the pause switch before every claim (`force`) and otherwise at most once a second. */
  private async checkPause(force: boolean): Promise<void> {
    const { isPaused } = this.options;
    if (!isPaused || this.stopped() || (!force && Date.now() - this.pauseCheckedAt < 1000)) return;
    this.pauseCheckedAt = Date.now();
    if (await isPaused()) this.stop(PAUSED);
  }

  /** Sends one delivery, retrying transient failures in-run as the retry decision says; `posted` hears each hand-over to SMTP. */
  private async deliver({ job, ready }: Taken, posted: () => void): Promise<void> {
    const p = await ready;
    if (!p) {
      this.taken.delete(job.id);
      await this.deps.ledger.markFailed(job.id, `edition ${job.editionKey} is missing from the store`, this.now().toISOString());
      this.result.failed++;
      return;
    }
    for (let tries = 1; ; tries++) {
      const ahead = tries === 1 ? p.first : undefined;
      const retryAfterMs = await this.attempt(job, () => this.fresh(ahead) ?? this.preparer.transmission(job, p.ed, p.addressing), tries, posted);
      if (retryAfterMs === undefined) return;
      await sleep(retryAfterMs, undefined, { signal: this.options.signal }).catch(() => undefined);
      if (this.stopped()) return;
    }
  }

  /** The message prepared ahead, unless there is none or it has waited too long to go out. */
  private fresh(t: Transmission | undefined): Transmission | undefined {
    return t && Date.now() - t.madeAt <= (this.options.maxPreparedAgeMs ?? 10_000) ? t : undefined;
  }

  /**
   * One claim-send-record round; returns the backoff before a retry, or undefined when done.
   * `message` gives the attempt's message (prepared ahead, or made now), before the claim.
   */
  private async attempt(job: DeliveryJob, message: () => Transmission | Promise<Transmission>, tries: number, posted: () => void): Promise<number | undefined> {
    const { ledger } = this.deps;
    const { owner, leaseSeconds } = this.options;
    // Waited for before the claim: a process that dies while waiting leaves the row planned, not uncertain.
    await this.options.waitForSlot?.();
    const { messageId, transmit } = await message();
    if (this.stopped()) return undefined;
    const claimed = await ledger.claim(job.id, owner, messageId, leaseSeconds, this.now());
    this.taken.delete(job.id);
    if (!claimed) return undefined;
    const started = performance.now();
    try {
      const sending = transmit();
      posted();
      await sending;
    } catch (err) {
      const failure = classifySmtpError(err);
      this.deps.logger.warn('send failed', { to: job.email, kind: failure.kind, attempt: job.attempts + tries, error: failure.message });
      const decision = decideAfterFailure(
        { kind: failure.kind, message: failure.message, silent: failure.silent, triesInRun: tries, attemptsTotal: job.attempts + tries, consecutiveFailures: this.consecutiveFailures, runStopping: this.stopped() },
        this.policy,
      );
      await this.apply(job, decision);
      if (decision.retryAfterMs !== undefined && this.stopped()) {
        // Another worker stopped the pass while this failure was being recorded: no retry now.
        this.result.deferred++;
        return undefined;
      }
      return decision.retryAfterMs;
    }
    this.options.onSmtpLatency?.((performance.now() - started) / 1000);
    await this.recordSent(job, messageId);
    return undefined;
  }

  /**
   * Records a message the server accepted. Outside the SMTP try: once the server has taken the
   * message, a store failure must never send it again. The row stays `sending` (uncertain) and
   * the pass stops.
   */
  private async recordSent(job: DeliveryJob, messageId: string): Promise<void> {
    try {
      if (!(await this.deps.ledger.markSent(job.id, this.options.owner, messageId, this.now().toISOString()))) {
        this.deps.logger.warn('a sent delivery was no longer ours to record', { delivery: job.id, to: job.email });
      }
      this.result.sent++;
      this.consecutiveFailures = 0;
    } catch (err) {
      this.deps.logger.error('the server accepted a message but recording it failed; it stays uncertain', { delivery: job.id, to: job.email, error: String(err) });
      this.stop(`could not record delivery ${job.id} as sent: ${err instanceof Error ? err.message : String(err)}`);
      this.result.storeFailed = true;
    }
  }

  /** Writes a failure decision to the ledger and the pass's counters. */
  private async apply(job: DeliveryJob, decision: RetryDecision): Promise<void> {
    const { ledger, subscribers, logger } = this.deps;
    const stamp = this.now().toISOString();
    this.consecutiveFailures = decision.consecutiveFailures;
    if (decision.stopRun) this.stop(decision.stopRun);
    // The server may have an uncertain message: resending could deliver it twice. The operator settles it.
    if (decision.record === 'uncertain') await ledger.markUncertain(job.id, this.options.owner, decision.error);
    else if (decision.record === 'planned') await ledger.release(job.id, decision.error);
    else await ledger.markFailed(job.id, decision.error, stamp);
    if (decision.counted) this.result[decision.counted]++;
    if (!decision.hardBounce) return;
    const bounces = await subscribers.recordHardBounce(job.subscriberId, stamp);
    if (bounces >= this.options.bounceLimit) {
      await subscribers.setStatus(job.subscriberId, 'bounced', stamp);
      this.result.bounced++;
      logger.warn('address marked bounced', { to: job.email, hardBounces: bounces });
    }
  }
}
