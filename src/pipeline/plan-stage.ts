import { AppError } from '../errors.js';
import type { EditionContent, RenderedEdition } from '../model/edition.js';
import type { PlannedItem } from '../plan/planner.js';
import type { NewDelivery } from '../store/delivery-plans.js';
import { countSkipped, timeStage, type RunContext } from './run-context.js';
import { rowAfterTrim } from './size-trim.js';

const PLANNER_LOCK = 'digest-planner';

/** Edition key → the story ids its email kept after the size budget, for editions rendered or stored. */
type RenderedKeys = Map<string, number[]>;

/**
 * The lock stage: plans, renders and records every page while holding the planner lock, so only
 * one process plans at a time; sending is not exclusive (rows are claimed). A held lock means
 * standing by (`standbyIfLocked`) or an error. `onPageRecorded` hears each page's rows committed
 * (the send pass claims them while later pages are planned). Returns why planning stopped early, if it did.
 */
export async function planUnderLock(ctx: RunContext, plan: AsyncIterable<PlannedItem[]>, owner: string, onPageRecorded?: () => void): Promise<string | undefined> {
  const { deps, options, summary } = ctx;
  let stoppedBecause: string | undefined;
  const outcome = await deps.store.locks.withLock(PLANNER_LOCK, owner, deps.settings.leaseSeconds, async (lost) => {
    const rendered: RenderedKeys = new Map();
    let planStarted = performance.now();
    for await (const page of plan) {
      timeStage(ctx, 'plan', planStarted);
      if (lost.aborted) {
        stoppedBecause = 'lost the planner lock (store unreachable?)';
        summary.stoppedBecause ??= stoppedBecause;
        break;
      }
      await recordPage(ctx, page, rendered);
      options.onPlanned?.(summary.planned);
      onPageRecorded?.();
      planStarted = performance.now();
    }
    timeStage(ctx, 'plan', planStarted);
    if (summary.planned >= 1000) await deps.store.plans.refreshStatistics();
  });
  if (outcome.held) return stoppedBecause;
  if (!options.standbyIfLocked) {
    throw new AppError('LOCK_HELD', 'another topic-digest process is planning the digest right now', {
      hint: "wait for it to finish; a crashed holder's lock is released with its connection (PostgreSQL) or at once (SQLite)",
    });
  }
  summary.standby = true;
  return undefined;
}

/** The plan+render+record stage for one page: renders its new editions, then records them and its rows together. */
async function recordPage(ctx: RunContext, page: PlannedItem[], rendered: RenderedKeys): Promise<void> {
  const recordStarted = performance.now();
  const { fresh, renderMs } = await renderNewEditions(ctx, page, rendered);
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
  const { planned, skipped } = await recordRows(ctx, page, fresh, rows);
  for (const [key, r] of fresh) rendered.set(key, r.articleIds);
  ctx.options.onStage?.('render', renderMs);
  ctx.options.onStage?.('record', performance.now() - recordStarted - renderMs);
  ctx.summary.planned += planned;
  for (const [reason, n] of skipped) countSkipped(ctx.summary, reason, n);
}

/**
 * Renders each edition of the page not rendered or stored before: once per distinct edition. The
 * page's new editions go to the renderer all at once, so the render worker goes from one to the
 * next without waiting, between each, for the main thread (busy sending) to ask for the next.
 */
async function renderNewEditions(ctx: RunContext, page: PlannedItem[], rendered: RenderedKeys): Promise<{ fresh: Map<string, RenderedEdition>; renderMs: number }> {
  const { deps } = ctx;
  const due = new Map<string, EditionContent>();
  for (const item of page) {
    const key = item.edition?.key;
    if (!item.edition || !key || rendered.has(key) || due.has(key)) continue;
    const stored = await deps.store.editions.articleIds(key);
    if (stored) rendered.set(key, stored);
    else due.set(key, item.edition);
  }
  const renderStarted = performance.now();
  const outputs = await Promise.all([...due.values()].map((edition) => deps.renderer.render(edition)));
  const renderMs = performance.now() - renderStarted;
  const fresh = new Map<string, RenderedEdition>();
  [...due].forEach(([key, edition], i) => {
    const output = outputs[i]!;
    const offered = edition.sections.reduce((n, sec) => n + sec.articles.length, 0);
    if (output.articleIds.length < offered) {
      // Gmail clips mail over ~102 KB, so the renderer drops the largest stories; they stay due (size-trim.ts).
      deps.logger.warn('edition trimmed to fit the email size budget', { edition: key, kept: output.articleIds.length, dropped: offered - output.articleIds.length });
    }
    fresh.set(key, output);
  });
  return { fresh, renderMs };
}

/**
 * Stores the new editions and the page's ledger rows in one transaction. Counted by status from
 * what was actually inserted: rows another process planned first are not ours.
 */
async function recordRows(
  ctx: RunContext,
  page: PlannedItem[],
  fresh: Map<string, RenderedEdition>,
  rows: NewDelivery[],
): Promise<{ planned: number; skipped: Array<[string | null, number]> }> {
  const nowIso = ctx.clock().toISOString();
  const plannedRows = rows.filter((r) => r.status === 'planned');
  const skippedRows = rows.filter((r) => r.status === 'skipped');
  const reasons = [...new Set(skippedRows.map((r) => r.reason))];
  return ctx.deps.store.transaction(async (tx) => {
    for (const [key, r] of fresh) {
      if (r.articleIds.length === 0) continue;
      const ed = page.find((i) => i.edition?.key === key)!.edition!;
      await tx.editions.saveIfAbsent(
        { key, localDate: ed.localDate, topics: ed.sections.map((s) => s.topic.slug), subject: r.subject, html: r.html, text: r.text, articleIds: r.articleIds },
        nowIso,
      );
    }
    await tx.plans.supersedeOlderPlanned(plannedRows, nowIso);
    const skipped: Array<[string | null, number]> = [];
    for (const reason of reasons) skipped.push([reason, await tx.plans.insertPlanned(skippedRows.filter((r) => r.reason === reason), nowIso)]);
    return { planned: await tx.plans.insertPlanned(plannedRows, nowIso), skipped };
  });
}
