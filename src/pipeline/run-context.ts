import type { DigestRunDeps, DigestRunOptions, DigestRunSummary, DigestStage } from './digest-run.js';

/** What every stage of one digest run shares. */
export interface RunContext {
  deps: DigestRunDeps;
  options: DigestRunOptions;
  /**
   * The run's one clock for when things happen: every stamp, lease and takeover reads it.
   * `options.now` is not a clock but the moment the digest is planned for (`send --now`): leases
   * are compared across processes, so a past `--now` must not make a live sender's leases look
   * expired to the others.
   */
  clock: () => Date;
  /** Filled in by the stages as they go. */
  summary: DigestRunSummary;
}

/** An empty summary for a run about to start. */
export function emptySummary(dryRun: boolean): DigestRunSummary {
  return { planned: 0, sent: 0, skipped: 0, failed: 0, bounced: 0, deferred: 0, uncertain: 0, renders: 0, durationMs: 0, dryRun, skippedBy: {} };
}

/** Adds `n` rows skipped for `reason` to the summary. */
export function countSkipped(summary: DigestRunSummary, reason: string | null, n: number): void {
  if (n === 0) return;
  summary.skipped += n;
  const key = reason ?? 'other';
  summary.skippedBy[key] = (summary.skippedBy[key] ?? 0) + n;
}

/** Reports the milliseconds a stage took since `since` (a `performance.now()` reading). */
export function timeStage(ctx: RunContext, name: DigestStage, since: number): void {
  ctx.options.onStage?.(name, performance.now() - since);
}
