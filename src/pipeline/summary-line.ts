import type { DigestRunSummary } from './digest-run.js';

/** Words for skip reasons in lines people read. */
const REASON_WORDS: Record<string, string> = { late: 'late', empty: 'nothing new', superseded: 'superseded', 'reader inactive': 'reader inactive' };

/** `skipped=3 (late 2, nothing new 1)`: the count with its reasons, the one wording CLI and log share. */
export function skippedText(summary: Pick<DigestRunSummary, 'skipped' | 'skippedBy'>): string {
  const parts = Object.entries(summary.skippedBy)
    .filter(([, n]) => n > 0)
    .map(([reason, n]) => `${REASON_WORDS[reason] ?? reason} ${n}`);
  return `skipped=${summary.skipped}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`;
}

/** The one-line account of a run: `planned=2 sent=2 skipped=3 (late 3) failed=0 …`. */
export function summaryLine(s: DigestRunSummary): string {
  return (
    `planned=${s.planned} sent=${s.sent} ${skippedText(s)} failed=${s.failed} bounced=${s.bounced} ` +
    `deferred=${s.deferred} uncertain=${s.uncertain} renders=${s.renders} duration=${(s.durationMs / 1000).toFixed(2)}s`
  );
}
