import { randomUUID } from 'node:crypto';
import { messageOf } from '../errors.js';
import type { Logger } from '../logger.js';
import type { MessageParts } from '../model/edition.js';
import type { EditionRenderer } from '../render/edition-renderer.js';
import { planDigests, type PlanSettings } from '../plan/planner.js';
import type { Mailer } from '../deliver/mailer.js';
import { RowFeed } from '../deliver/row-feed.js';
import { PAUSED, type Personaliser, type SendOptions, type SendResult } from '../deliver/send-run.js';
import type { LinkBuilder } from '../security/subscriber-links.js';
import type { UncertainDelivery } from '../store/delivery-queries.js';
import type { Store } from '../store/store.js';
import { dryRun } from './dry-run.js';
import { planUnderLock } from './plan-stage.js';
import { emptySummary, type RunContext } from './run-context.js';
import { sendStage } from './send-stage.js';

/** Everything a digest run needs, wired by the composition root. */
export interface DigestRunDeps {
  store: Store;
  mailer: Mailer;
  links: LinkBuilder;
  renderer: EditionRenderer;
  compilePersonaliser: (parts: MessageParts) => Personaliser;
  logger: Logger;
  /** Waits for a slot of the global send rate, shared by all workers; absent means no limit. */
  waitForSendSlot?: () => Promise<void>;
  /** Per-delivery envelope sender (VERP with BOUNCE_ADDRESS); absent keeps MAIL_FROM. */
  envelopeFrom?: (deliveryId: number) => string;
  /** Hears each SMTP hand-over's latency (metrics). */
  onSmtpLatency?: (seconds: number) => void;
  /** The wall clock stamps, leases and takeovers read; the real one when absent. */
  clock?: () => Date;
  /** The planner's rules plus the sender's fixed settings (per-run values come from the options). */
  settings: PlanSettings & Pick<SendOptions, 'leaseSeconds' | 'concurrency' | 'bounceLimit' | 'listId' | 'fromAddress' | 'unsubscribeMailto' | 'retryBaseMs'>;
}

/** One run's request. */
export interface DigestRunOptions {
  /** The moment the digest is planned for: who is due and what their windows hold (not a clock; see run-context.ts). */
  now: Date;
  force?: boolean;
  onlyEmail?: string;
  /** Plan and render, print who would get what, write nothing and send nothing. */
  dryRun?: boolean;
  /** Send what is already planned without planning anything new (the worker role). */
  sendOnly?: boolean;
  /** Plan and render, but leave sending to workers (the scheduler role); SMTP is not contacted. */
  planOnly?: boolean;
  /** When another process holds the planner lock, skip planning (stand by) instead of failing. */
  standbyIfLocked?: boolean;
  /** Before sending, put uncertain rows (stuck in `sending`, lease expired) back to planned: the operator's explicit choice. */
  requeueUncertain?: boolean;
  signal?: AbortSignal;
  /** Readers planned per page (1,000 by default); the send pass starts after the first page. */
  planPageSize?: number;
  onPlanned?: (count: number) => void;
  onProgress?: (result: SendResult) => void;
  /**
   * Called with the milliseconds spent in a stage, once per page for plan/render/record and once
   * for send; callers sum them (the benchmark does). Plan, render and record do not overlap each
   * other; send overlaps them all (it starts after the first page is recorded), so its time is
   * the send stage's wall time, not time on top of theirs.
   */
  onStage?: (stage: DigestStage, ms: number) => void;
}

/** The timed stages of a run: planning pages, rendering editions, writing the ledger, sending. */
export type DigestStage = 'plan' | 'render' | 'record' | 'send';

/** What a dry run would send to one reader. */
export interface DryRunLine {
  email: string;
  localDate: string;
  status: 'planned' | 'skipped';
  reason: string | null;
  subject: string | null;
  sections: { topic: string; articles: number }[];
}

/** The run summary the CLI prints and the scheduler logs. */
export interface DigestRunSummary {
  planned: number;
  sent: number;
  skipped: number;
  failed: number;
  bounced: number;
  deferred: number;
  /** Uncertain rows in the ledger, not yet settled (this run's and earlier ones). */
  uncertain: number;
  /** The first of them, named, so the operator can check the relay's log. */
  uncertainDeliveries?: UncertainDelivery[];
  renders: number;
  durationMs: number;
  dryRun: boolean;
  /** Skipped rows by reason ('late', 'empty', …), so a log line can say why. */
  skippedBy: Record<string, number>;
  /** True when another process was planning, so this pass only sent. */
  standby?: boolean;
  stoppedBecause?: string;
  /** True when the "pause all sending" switch stopped (or prevented) the run. */
  paused?: boolean;
  /** True when the store failed under the run (the CLI exits non-zero). */
  storeFailed?: boolean;
  wouldSend?: DryRunLine[];
}

/** Pauses (by time and admin) already announced in this process's log. */
const loggedPauses = new Set<string>();

/**
 * One pass of the pipeline, in stages: check the pause switch, verify SMTP, then under the
 * planner lock plan, render each distinct edition once and record the plan page by page, while
 * (from the first recorded page on) the send stage readies the ledger (takeover, requeue) and
 * sends what is recorded, then sum up. Only one process plans at a time; any number
 * may send, because each row is claimed. An unreachable SMTP server stops the pass before
 * anything is marked. `planOnly` is the scheduler role, `sendOnly` the worker role.
 */
export async function runDigest(deps: DigestRunDeps, options: DigestRunOptions): Promise<DigestRunSummary> {
  const started = performance.now();
  const rendersBefore = deps.renderer.renderCount;
  const ctx: RunContext = { deps, options, clock: deps.clock ?? (() => new Date()), summary: emptySummary(Boolean(options.dryRun)) };
  const plan = planDigests(deps.store, deps.settings, {
    now: options.now,
    force: options.force,
    onlyEmail: options.onlyEmail,
    ...(options.planPageSize ? { pageSize: options.planPageSize } : {}),
  });
  if (options.dryRun) await dryRun(ctx, plan);
  else if (!(await pausedStage(ctx))) {
    if (!options.planOnly) await deps.mailer.verify();
    await planAndSend(ctx, plan);
  }
  ctx.summary.renders = deps.renderer.renderCount - rendersBefore;
  ctx.summary.durationMs = Math.round(performance.now() - started);
  return ctx.summary;
}

/** Runs the lock and send stages as one registered sender, alive (provably, on SQLite) throughout. */
async function planAndSend(ctx: RunContext, plan: ReturnType<typeof planDigests>): Promise<void> {
  const { store } = ctx.deps;
  const owner = `${process.pid}-${randomUUID().slice(0, 8)}`;
  // Nobody takes over this run's rows while it runs.
  store.leases.register(owner);
  try {
    if (ctx.options.sendOnly) await sendStage(ctx, owner);
    else if (ctx.options.planOnly) await planUnderLock(ctx, plan, owner);
    else await planWhileSending(ctx, plan, owner);
  } finally {
    await store.leases.release(owner);
  }
}

/**
 * Plans under the lock and sends at the same time: the send stage starts once the first page is
 * recorded and claims rows as later pages land, so sending overlaps rendering. A planning failure
 * stops the send pass (in-flight messages finish, unstarted claims go back) and is thrown as
 * before; a lock held elsewhere throws before anything is sent. An SMTP stop (auth, too many
 * failures), the pause switch or a signal stop only the send pass: planning still finishes and
 * its rows stay planned for the next run or a worker, as when sending came after planning.
 */
async function planWhileSending(ctx: RunContext, plan: ReturnType<typeof planDigests>, owner: string): Promise<void> {
  const feed = new RowFeed();
  let sending: Promise<void> | undefined;
  const startSending = (): Promise<void> => {
    if (!sending) {
      sending = sendStage(ctx, owner, feed);
      // Awaited below; marked handled now so a send failure during planning is not an unhandled rejection.
      sending.catch(() => undefined);
    }
    return sending;
  };
  let stopped: string | undefined;
  try {
    stopped = await planUnderLock(ctx, plan, owner, () => {
      feed.recorded();
      void startSending();
    });
  } catch (err) {
    feed.fail(`planning failed: ${messageOf(err)}`);
    await sending?.catch(() => undefined);
    throw err;
  }
  if (stopped) feed.fail(stopped);
  else feed.finish();
  // A run stopped before its first page sends nothing, as before.
  if (sending || !stopped) await startSending();
}

/** True (and the summary says so) when the "pause all sending" switch is on: nothing is planned or sent. */
async function pausedStage(ctx: RunContext): Promise<boolean> {
  const pause = await ctx.deps.store.admin.pauseState();
  if (!pause.paused) return false;
  ctx.summary.stoppedBecause = PAUSED;
  ctx.summary.paused = true;
  // Once per pause per process: workers and the scheduler look every few seconds.
  const id = `${pause.at ?? ''}|${pause.by ?? ''}`;
  if (!loggedPauses.has(id)) {
    loggedPauses.add(id);
    ctx.deps.logger.warn('all sending is paused: nothing is planned or sent until it is resumed', { by: pause.by, at: pause.at });
  }
  return true;
}
