import { randomUUID } from 'node:crypto';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { MessageParts, RenderedEdition } from '../model/edition.js';
import type { EditionRenderer } from '../render/edition-renderer.js';
import { planDigests, type PlannedItem, type PlanSettings } from '../plan/planner.js';
import type { Mailer } from '../deliver/mailer.js';
import { PAUSED, sendPlanned, type Personaliser, type SendOptions, type SendResult } from '../deliver/send-run.js';
import type { LinkBuilder } from '../security/subscriber-links.js';
import type { UncertainDelivery } from '../store/delivery-queries.js';
import type { Store } from '../store/store.js';
import { rowAfterTrim } from './size-trim.js';

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
  /** The planner's rules plus the sender's fixed settings (per-run values come from the options). */
  settings: PlanSettings & Pick<SendOptions, 'leaseSeconds' | 'concurrency' | 'bounceLimit' | 'listId' | 'fromAddress' | 'unsubscribeMailto' | 'retryBaseMs'>;
}

/** One run's request. */
export interface DigestRunOptions {
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
  onPlanned?: (count: number) => void;
  onProgress?: (result: SendResult) => void;
  /**
   * Called with the milliseconds spent in a stage, once per page for plan/render/record and once
   * for send; callers sum them (the benchmark does). Stages do not overlap.
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

const PLANNER_LOCK = 'digest-planner';

/** Pauses (by time and admin) already announced in this process's log. */
const loggedPauses = new Set<string>();

/**
 * One pass of the pipeline: plan who is due, render each distinct edition once, record the plan
 * in the ledger, then send. Only one process plans at a time (the planner lock); any number may
 * send, because each row is claimed. An unreachable SMTP server stops the pass before anything is
 * marked. `planOnly` is the scheduler role, `sendOnly` the worker role.
 */
export async function runDigest(deps: DigestRunDeps, options: DigestRunOptions): Promise<DigestRunSummary> {
  const started = Date.now();
  const rendersBefore = deps.renderer.renderCount;
  const summary: DigestRunSummary = { planned: 0, sent: 0, skipped: 0, failed: 0, bounced: 0, deferred: 0, uncertain: 0, renders: 0, durationMs: 0, dryRun: Boolean(options.dryRun), skippedBy: {} };
  const plan = planDigests(deps.store, deps.settings, { now: options.now, force: options.force, onlyEmail: options.onlyEmail });

  if (options.dryRun) {
    summary.wouldSend = [];
    const subjects = new Map<string, string>();
    for await (const page of plan) {
      for (const item of page) {
        const subject = item.edition ? (subjects.get(item.edition.key) ?? (await deps.renderer.render(item.edition)).subject) : null;
        if (item.edition && subject) subjects.set(item.edition.key, subject);
        summary.wouldSend.push(dryRunLine(item, subject));
        if (item.status === 'planned') summary.planned++;
        else countSkipped(item.reason, 1);
      }
    }
    return finish();
  }

  const pause = await deps.store.admin.pauseState();
  if (pause.paused) {
    summary.stoppedBecause = PAUSED;
    summary.paused = true;
    // Once per pause per process: workers and the scheduler look every few seconds.
    const id = `${pause.at ?? ''}|${pause.by ?? ''}`;
    if (!loggedPauses.has(id)) {
      loggedPauses.add(id);
      deps.logger.warn('all sending is paused: nothing is planned or sent until it is resumed', { by: pause.by, at: pause.at });
    }
    return finish();
  }
  if (!options.planOnly) await deps.mailer.verify();
  const owner = `${process.pid}-${randomUUID().slice(0, 8)}`;
  // Alive (provably, on SQLite) for the whole run: nobody takes over this run's rows meanwhile.
  deps.store.leases.register(owner);
  try {
    if (!options.sendOnly) await planAll(owner);
    if (!options.planOnly && !summary.stoppedBecause) await sendAll(owner);
  } finally {
    await deps.store.leases.release(owner);
  }
  return finish();

  /** Plans and records every page; only one process plans at a time (the planner lock). */
  async function planAll(owner: string): Promise<void> {
    // Planning is exclusive (one planner across all processes); sending is not: rows are claimed.
    const outcome = await deps.store.locks.withLock(PLANNER_LOCK, owner, deps.settings.leaseSeconds, async (lost) => {
      // Edition key → the story ids its email kept after the size budget.
      const rendered = new Map<string, number[]>();
      let planStarted = performance.now();
      for await (const page of plan) {
        stage('plan', planStarted);
        if (lost.aborted) {
          summary.stoppedBecause = 'lost the planner lock (store unreachable?)';
          break;
        }
        await recordPage(page, rendered);
        options.onPlanned?.(summary.planned);
        planStarted = performance.now();
      }
      stage('plan', planStarted);
      if (summary.planned >= 1000) await deps.store.plans.refreshStatistics();
    });
    if (!outcome.held) {
      if (!options.standbyIfLocked) {
        throw new AppError('LOCK_HELD', 'another topic-digest process is planning the digest right now', {
          hint: "wait for it to finish; a crashed holder's lock is released with its connection (PostgreSQL) or at once (SQLite)",
        });
      }
      summary.standby = true;
    }
  }

  /** Takes over gone senders' rows, then sends everything planned. */
  async function sendAll(owner: string): Promise<void> {
    const sendStarted = performance.now();
    const { store, mailer, links, compilePersonaliser, logger } = deps;
    // Right after a crash: the dead sender's unstarted rows are sent now, its in-flight ones reported.
    const takeover = await store.leases.takeOverDeadOwners(owner, new Date());
    if (takeover.freed + takeover.uncertain > 0) logger.warn('took over the deliveries of a sender that is gone', { ...takeover });
    if (options.requeueUncertain) {
      const requeued = await store.deliveries.requeueUncertain(options.onlyEmail);
      logger.info('requeued uncertain deliveries on request', { requeued });
    }
    const inactive = await store.ledger.skipUndeliverable(new Date().toISOString());
    if (inactive > 0) logger.info('skipped planned digests of readers who left or paused', { skipped: inactive });
    const suppressed = await store.feedback.skipSuppressed(new Date().toISOString());
    if (suppressed > 0) logger.info('skipped planned digests of suppressed addresses', { skipped: suppressed });
    const sendDeps = { ledger: store.ledger, editions: store.editions, subscribers: store.subscribers, mailer, links, compilePersonaliser, logger };
    const sent = await sendPlanned(sendDeps, {
      owner,
      leaseSeconds: deps.settings.leaseSeconds,
      concurrency: deps.settings.concurrency,
      // A few messages per connection: enough to keep the pool busy, small enough that several
      // workers share an edition and a dead worker strands little behind its lease.
      batchSize: deps.settings.concurrency * 4,
      bounceLimit: deps.settings.bounceLimit,
      listId: deps.settings.listId,
      fromAddress: deps.settings.fromAddress,
      ...(deps.settings.unsubscribeMailto ? { unsubscribeMailto: deps.settings.unsubscribeMailto } : {}),
      ...(deps.settings.retryBaseMs !== undefined ? { retryBaseMs: deps.settings.retryBaseMs } : {}),
      ...(deps.waitForSendSlot ? { waitForSlot: deps.waitForSendSlot } : {}),
      ...(deps.envelopeFrom ? { envelopeFrom: deps.envelopeFrom } : {}),
      ...(deps.onSmtpLatency ? { onSmtpLatency: deps.onSmtpLatency } : {}),
      ...(options.onlyEmail ? { onlyEmail: options.onlyEmail } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      isPaused: async () => (await store.admin.pauseState()).paused,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    stage('send', sendStarted);
    Object.assign(summary, { sent: sent.sent, failed: sent.failed, bounced: sent.bounced, deferred: sent.deferred });
    if (sent.stoppedBecause) summary.stoppedBecause = sent.stoppedBecause;
    if (sent.stoppedBecause === PAUSED) {
      summary.paused = true;
      logger.warn('all sending paused: this run stopped taking new deliveries', { sent: sent.sent });
    }
    if (sent.storeFailed) summary.storeFailed = true;
    await reportUncertain();
  }

  /** Counts and names the unsettled uncertain rows for the summary. */
  async function reportUncertain(): Promise<void> {
    summary.uncertain = await deps.store.deliveries.countUncertain();
    if (summary.uncertain > 0) summary.uncertainDeliveries = await deps.store.deliveries.listUncertain(20);
  }

  async function recordPage(page: PlannedItem[], rendered: Map<string, number[]>): Promise<void> {
    const fresh = new Map<string, RenderedEdition>();
    let renderMs = 0;
    const recordStarted = performance.now();
    for (const item of page) {
      const key = item.edition?.key;
      if (!item.edition || !key || rendered.has(key) || fresh.has(key)) continue;
      const stored = await deps.store.editions.articleIds(key);
      if (stored) {
        rendered.set(key, stored);
        continue;
      }
      const renderStarted = performance.now();
      const output = await deps.renderer.render(item.edition);
      renderMs += performance.now() - renderStarted;
      const offered = item.edition.sections.reduce((n, sec) => n + sec.articles.length, 0);
      if (output.articleIds.length < offered) {
        // Gmail clips mail over ~102 KB, so the renderer drops the largest stories; they stay due (size-trim.ts).
        deps.logger.warn('edition trimmed to fit the email size budget', { edition: key, kept: output.articleIds.length, dropped: offered - output.articleIds.length });
      }
      fresh.set(key, output);
    }
    const nowIso = new Date().toISOString();
    const rows = page.map((i) => ({
      subscriberId: i.subscriber.id,
      localDate: i.localDate,
      status: i.status,
      editionKey: i.edition?.key ?? null,
      windowStart: i.windowStart,
      windowEnd: i.windowEnd,
      reason: i.reason,
      ...(i.edition ? rowAfterTrim(i.edition, (fresh.get(i.edition.key)?.articleIds ?? rendered.get(i.edition.key))!, i.windowEnd) : {}),
    }));
    // Counted by status from what was actually inserted: rows another process planned first are not ours.
    const skippedRows = rows.filter((r) => r.status === 'skipped');
    const reasons = [...new Set(skippedRows.map((r) => r.reason))];
    const [planned, skipped] = await deps.store.transaction(async (tx) => {
      for (const [key, r] of fresh) {
        if (r.articleIds.length === 0) continue;
        const ed = page.find((i) => i.edition?.key === key)!.edition!;
        await tx.editions.saveIfAbsent(
          { key, localDate: ed.localDate, topics: ed.sections.map((s) => s.topic.slug), subject: r.subject, html: r.html, text: r.text, articleIds: r.articleIds },
          nowIso,
        );
      }
      await tx.plans.supersedeOlderPlanned(rows.filter((r) => r.status === 'planned'), nowIso);
      const skippedByReason: Array<[string | null, number]> = [];
      for (const reason of reasons) skippedByReason.push([reason, await tx.plans.insertPlanned(skippedRows.filter((r) => r.reason === reason), nowIso)]);
      return [await tx.plans.insertPlanned(rows.filter((r) => r.status === 'planned'), nowIso), skippedByReason] as const;
    });
    for (const [key, r] of fresh) rendered.set(key, r.articleIds);
    options.onStage?.('render', renderMs);
    options.onStage?.('record', performance.now() - recordStarted - renderMs);
    summary.planned += planned;
    for (const [reason, n] of skipped) countSkipped(reason, n);
  }

  function countSkipped(reason: string | null, n: number): void {
    if (n === 0) return;
    summary.skipped += n;
    const key = reason ?? 'other';
    summary.skippedBy[key] = (summary.skippedBy[key] ?? 0) + n;
  }

  function stage(name: DigestStage, since: number): void {
    options.onStage?.(name, performance.now() - since);
  }

  function finish(): DigestRunSummary {
    summary.renders = deps.renderer.renderCount - rendersBefore;
    summary.durationMs = Date.now() - started;
    return summary;
  }
}

function dryRunLine(item: PlannedItem, subject: string | null): DryRunLine {
  return {
    email: item.subscriber.email,
    localDate: item.localDate,
    status: item.status,
    reason: item.reason,
    subject,
    sections: (item.edition?.sections ?? []).map((s) => ({ topic: s.topic.slug, articles: s.articles.length })),
  };
}
