import { describe, expect, it } from 'vitest';
import type { DigestRunSummary } from '../../../src/pipeline/digest-run.js';
import { skippedText, summaryLine } from '../../../src/pipeline/summary-line.js';
import { startScheduler } from '../../../src/schedule/scheduler.js';

const base: DigestRunSummary = { planned: 2, sent: 2, skipped: 3, failed: 0, bounced: 0, deferred: 0, uncertain: 0, renders: 1, durationMs: 1234, dryRun: false, skippedBy: { late: 3 } };

describe('run summary lines', () => {
  it('give the skip count with its reasons', () => {
    expect(skippedText(base)).toBe('skipped=3 (late 3)');
    expect(skippedText({ skipped: 4, skippedBy: { late: 1, empty: 3 } })).toBe('skipped=4 (late 1, nothing new 3)');
    expect(skippedText({ skipped: 0, skippedBy: {} })).toBe('skipped=0');
    expect(summaryLine(base)).toBe('planned=2 sent=2 skipped=3 (late 3) failed=0 bounced=0 deferred=0 uncertain=0 renders=1 duration=1.23s');
  });

  it('a tick that did something logs one info line naming where mail went; an idle tick logs at debug', async () => {
    const lines: Array<[string, string]> = [];
    const rec = (level: string) => (msg: string) => void lines.push([level, msg]);
    const logger = { debug: rec('debug'), info: rec('info'), warn: rec('warn'), error: rec('error') };
    let next: DigestRunSummary = base;
    const scheduler = startScheduler({ runDigest: async () => next, logger, mailer: { describe: () => 'outbox folder outbox (SMTP_URL is not set)' } }, '0 0 1 1 *', { runAtStart: false });
    await scheduler.tick();
    next = { ...base, planned: 0, sent: 0, skipped: 0, renders: 0, skippedBy: {} };
    await scheduler.tick();
    await scheduler.stop();
    expect(lines).toEqual([
      ['info', 'digest tick: planned=2 sent=2 skipped=3 (late 3) failed=0 bounced=0 deferred=0 uncertain=0 renders=1 duration=1.23s → outbox folder outbox (SMTP_URL is not set)'],
      ['debug', 'digest tick: nobody due'],
    ]);
  });
});
