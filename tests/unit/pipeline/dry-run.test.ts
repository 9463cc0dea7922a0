import { describe, expect, it } from 'vitest';
import type { DigestRunDeps } from '../../../src/pipeline/digest-run.js';
import { dryRun } from '../../../src/pipeline/dry-run.js';
import { emptySummary, type RunContext } from '../../../src/pipeline/run-context.js';
import type { PlannedItem } from '../../../src/plan/planner.js';
import { makeArticle, makeEdition, makeSection } from '../../helpers/edition-fixtures.js';

const edition = makeEdition([makeSection('China', [makeArticle(), makeArticle({ id: 2 })])], { key: 'ed-1' });

function item(email: string, over: Partial<PlannedItem> = {}): PlannedItem {
  return { subscriber: { email } as PlannedItem['subscriber'], localDate: '2026-11-27', status: 'planned', reason: null, edition, windowStart: 'a', windowEnd: 'b', ...over };
}

async function* pages(...p: PlannedItem[][]): AsyncIterable<PlannedItem[]> {
  yield* p;
}

describe('dryRun', () => {
  it('lists who would get what, rendering each edition once for its subject, and tallies skips by reason', async () => {
    let renders = 0;
    const renderer = { render: async () => (renders++, { subject: 'Your digest' }) } as unknown as DigestRunDeps['renderer'];
    const ctx: RunContext = { deps: { renderer } as DigestRunDeps, options: { now: new Date(), dryRun: true }, clock: () => new Date(), summary: emptySummary(true) };
    await dryRun(ctx, pages([item('a@example.com'), item('b@example.com')], [item('c@example.com', { status: 'skipped', reason: 'late', edition: null })]));
    expect(renders).toBe(1);
    expect(ctx.summary).toMatchObject({ planned: 2, skipped: 1, skippedBy: { late: 1 } });
    expect(ctx.summary.wouldSend).toEqual([
      { email: 'a@example.com', localDate: '2026-11-27', status: 'planned', reason: null, subject: 'Your digest', sections: [{ topic: edition.sections[0]!.topic.slug, articles: 2 }] },
      expect.objectContaining({ email: 'b@example.com', subject: 'Your digest' }),
      { email: 'c@example.com', localDate: '2026-11-27', status: 'skipped', reason: 'late', subject: null, sections: [] },
    ]);
  });
});
