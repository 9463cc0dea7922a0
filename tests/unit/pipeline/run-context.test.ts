import { describe, expect, it } from 'vitest';
import { countSkipped, emptySummary } from '../../../src/pipeline/run-context.js';

describe('run summary tallies', () => {
  it('adds skipped rows by reason, naming a missing reason "other", and ignores zero counts', () => {
    const s = emptySummary(false);
    countSkipped(s, 'late', 2);
    countSkipped(s, 'late', 1);
    countSkipped(s, null, 1);
    countSkipped(s, 'empty', 0);
    expect(s).toMatchObject({ skipped: 4, skippedBy: { late: 3, other: 1 }, dryRun: false });
    expect(Object.keys(s.skippedBy)).not.toContain('empty');
  });
});
