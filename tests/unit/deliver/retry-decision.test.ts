import { describe, expect, it } from 'vitest';
import { decideAfterFailure, type FailedAttempt, type RetryPolicy } from '../../../src/deliver/retry-decision.js';
import type { SmtpFailureKind } from '../../../src/deliver/smtp-failure.js';

const policy: RetryPolicy = { maxAttempts: 3, maxTotalAttempts: 12, retryBaseMs: 1000, maxConsecutiveFailures: 5 };
const KINDS: SmtpFailureKind[] = ['recipient-rejected', 'message-rejected', 'transient', 'uncertain', 'fatal'];

function attempt(over: Partial<FailedAttempt> = {}): FailedAttempt {
  return { kind: 'transient', message: '421 busy', silent: false, triesInRun: 1, attemptsTotal: 1, consecutiveFailures: 0, runStopping: false, ...over };
}

describe('decideAfterFailure', () => {
  it('retries a transient failure with backoff base × 4^(tries−1), then defers it to the next run', () => {
    expect(decideAfterFailure(attempt({ triesInRun: 1 }), policy)).toEqual({ record: 'planned', error: '421 busy', retryAfterMs: 1000, hardBounce: false, consecutiveFailures: 1 });
    expect(decideAfterFailure(attempt({ triesInRun: 2, attemptsTotal: 2 }), policy).retryAfterMs).toBe(4000);
    const last = decideAfterFailure(attempt({ triesInRun: 3, attemptsTotal: 3 }), policy);
    expect(last).toEqual({ record: 'planned', error: '421 busy', counted: 'deferred', hardBounce: false, consecutiveFailures: 1 });
  });

  it('does not retry while the run is stopping; the row is deferred', () => {
    expect(decideAfterFailure(attempt({ runStopping: true }), policy)).toMatchObject({ record: 'planned', counted: 'deferred' });
    expect(decideAfterFailure(attempt({ runStopping: true }), policy).retryAfterMs).toBeUndefined();
  });

  it('fails a transient failure for good once the attempts across runs reach the limit', () => {
    const d = decideAfterFailure(attempt({ attemptsTotal: 12 }), policy);
    expect(d).toEqual({ record: 'failed', error: 'gave up after 12 attempts; last: 421 busy', counted: 'failed', hardBounce: false, consecutiveFailures: 0 });
    expect(decideAfterFailure(attempt({ attemptsTotal: 11 }), policy).record).toBe('planned');
  });

  it('leaves an uncertain send uncertain and never retries it', () => {
    const d = decideAfterFailure(attempt({ kind: 'uncertain', message: 'no reply after DATA', triesInRun: 1 }), policy);
    expect(d).toEqual({ record: 'uncertain', error: 'no reply after DATA', counted: 'uncertain', hardBounce: false, consecutiveFailures: 1 });
  });

  it('stops the run on a fatal failure, releasing the row uncounted and keeping the failures-in-a-row count', () => {
    const d = decideAfterFailure(attempt({ kind: 'fatal', message: '535 auth failed', consecutiveFailures: 2 }), policy);
    expect(d).toEqual({ record: 'planned', error: '535 auth failed', hardBounce: false, stopRun: '535 auth failed', consecutiveFailures: 2 });
  });

  it('fails a refused recipient as a hard bounce and a refused message as a plain failure, resetting the count', () => {
    expect(decideAfterFailure(attempt({ kind: 'recipient-rejected', message: '550 no such user', consecutiveFailures: 4 }), policy)).toEqual({
      record: 'failed',
      error: '550 no such user',
      counted: 'failed',
      hardBounce: true,
      consecutiveFailures: 0,
    });
    expect(decideAfterFailure(attempt({ kind: 'message-rejected', message: '554 spam', consecutiveFailures: 4 }), policy)).toMatchObject({ record: 'failed', hardBounce: false, consecutiveFailures: 0 });
  });

  it('stops the run after too many transient or uncertain failures in a row, naming the count', () => {
    const t = decideAfterFailure(attempt({ consecutiveFailures: 4 }), policy);
    expect(t).toMatchObject({ stopRun: '5 transient SMTP failures in a row; last: 421 busy', counted: 'deferred', consecutiveFailures: 5 });
    expect(t.retryAfterMs).toBeUndefined();
    expect(decideAfterFailure(attempt({ kind: 'uncertain', message: 'x', consecutiveFailures: 4 }), policy).stopRun).toBe('5 SMTP failures in a row; last: x');
    expect(decideAfterFailure(attempt({ consecutiveFailures: 3 }), policy).stopRun).toBeUndefined();
  });

  it('stops the run on a silent server whatever the kind, and that reason comes first', () => {
    for (const kind of KINDS) {
      const d = decideAfterFailure(attempt({ kind, message: 'timeout', silent: true, consecutiveFailures: 4 }), policy);
      expect(d.stopRun, kind).toBe('the SMTP server stopped answering within SMTP_TIMEOUT_SECONDS: timeout');
      expect(d.retryAfterMs, kind).toBeUndefined();
    }
  });

  it('holds its rules over every combination of kind, tries, attempts, streak, silence and stopping', () => {
    for (const kind of KINDS)
      for (const triesInRun of [1, 2, 3, 4])
        for (const attemptsTotal of [triesInRun, 11, 12, 13])
          for (const consecutiveFailures of [0, 3, 4, 9])
            for (const silent of [false, true])
              for (const runStopping of [false, true]) {
                const input = attempt({ kind, triesInRun, attemptsTotal, consecutiveFailures, silent, runStopping });
                const d = decideAfterFailure(input, policy);
                const label = JSON.stringify(input);
                const givesUp = kind === 'transient' && attemptsTotal >= policy.maxTotalAttempts;
                const effective = givesUp ? 'message-rejected' : kind;
                // Only a transient failure is ever retried, and never when anything is stopping the run.
                if (d.retryAfterMs !== undefined) {
                  expect(effective, label).toBe('transient');
                  expect(triesInRun < policy.maxAttempts && !runStopping && d.stopRun === undefined, label).toBe(true);
                  expect(d.retryAfterMs, label).toBe(1000 * 4 ** (triesInRun - 1));
                  expect(d.counted, label).toBeUndefined();
                }
                // An uncertain send is never put back: the server may have it.
                if (kind === 'uncertain') expect(d.record, label).toBe('uncertain');
                // Every message ends counted exactly once, unless it is retried or the run stops on a fatal error.
                if (d.retryAfterMs === undefined && effective !== 'fatal') expect(d.counted, label).toBeDefined();
                expect(d.record === 'failed', label).toBe(effective === 'recipient-rejected' || effective === 'message-rejected');
                expect(d.hardBounce, label).toBe(effective === 'recipient-rejected');
                if (silent || effective === 'fatal') expect(d.stopRun, label).toBeDefined();
                const streak = effective === 'transient' || effective === 'uncertain' ? consecutiveFailures + 1 : effective === 'fatal' ? consecutiveFailures : 0;
                expect(d.consecutiveFailures, label).toBe(streak);
                if (!silent && (effective === 'transient' || effective === 'uncertain')) expect(d.stopRun !== undefined, label).toBe(streak >= policy.maxConsecutiveFailures);
                if (!silent && d.record === 'failed') expect(d.stopRun, label).toBeUndefined();
              }
  });
});
