import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/logger.js';
import type { DigestRunSummary } from '../../../src/pipeline/digest-run.js';
import { startScheduler } from '../../../src/schedule/scheduler.js';

const summary: DigestRunSummary = { planned: 0, sent: 0, skipped: 0, failed: 0, bounced: 0, deferred: 0, uncertain: 0, renders: 0, durationMs: 0, dryRun: false, skippedBy: {} };

describe('scheduler housekeeping', () => {
  it('runs retention before the first tick, at most hourly, and a failure does not stop the pass', async () => {
    let housekeeping = 0;
    let runs = 0;
    const scheduler = startScheduler(
      {
        logger: silentLogger,
        runDigest: async () => (runs++, summary),
        housekeeping: async () => {
          housekeeping++;
          throw new Error('store hiccup');
        },
      },
      '0 0 1 1 *',
      { runAtStart: false },
    );
    await scheduler.tick();
    await scheduler.tick();
    await scheduler.stop();
    expect({ housekeeping, runs }).toEqual({ housekeeping: 1, runs: 2 });
  });
});
