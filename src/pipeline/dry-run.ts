import type { PlannedItem } from '../plan/planner.js';
import type { DryRunLine } from './digest-run.js';
import { countSkipped, type RunContext } from './run-context.js';

/** Plans and renders (for the subjects) but writes nothing: who would get what. */
export async function dryRun(ctx: RunContext, plan: AsyncIterable<PlannedItem[]>): Promise<void> {
  const lines: DryRunLine[] = (ctx.summary.wouldSend = []);
  const subjects = new Map<string, string>();
  for await (const page of plan) {
    for (const item of page) {
      const subject = item.edition ? (subjects.get(item.edition.key) ?? (await ctx.deps.renderer.render(item.edition)).subject) : null;
      if (item.edition && subject) subjects.set(item.edition.key, subject);
      lines.push(dryRunLine(item, subject));
      if (item.status === 'planned') ctx.summary.planned++;
      else countSkipped(ctx.summary, item.reason, 1);
    }
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
