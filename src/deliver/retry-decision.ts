import type { SmtpFailureKind } from './smtp-failure.js';

/** The send loop's limits on retrying (see SendOptions for each one's meaning). */
export interface RetryPolicy {
  maxAttempts: number;
  maxTotalAttempts: number;
  retryBaseMs: number;
  maxConsecutiveFailures: number;
}

/** The defaults the send loop runs with. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 3, maxTotalAttempts: 12, retryBaseMs: 1000, maxConsecutiveFailures: 25 };

/** One failed SMTP transaction, as the decision needs it. */
export interface FailedAttempt {
  kind: SmtpFailureKind;
  message: string;
  /** The server gave no reply within the timeout. */
  silent: boolean;
  /** This message's tries in this run, this one included (1 on the first). */
  triesInRun: number;
  /** This message's attempts across all runs, this one included. */
  attemptsTotal: number;
  /** Failures in a row across the run before this one. */
  consecutiveFailures: number;
  /** Whether the run is already stopping (another worker's failure, the signal, the pause switch). */
  runStopping: boolean;
}

/** What to do after a failed attempt. */
export interface RetryDecision {
  /**
   * What the row becomes: `uncertain` (left `sending` without a lease: the server may have it),
   * `planned` (released, the server did not take it), or `failed`.
   */
  record: 'uncertain' | 'planned' | 'failed';
  /** The error recorded on the row. */
  error: string;
  /** Try the message again in this run after this many milliseconds; absent means no retry. */
  retryAfterMs?: number;
  /** Which of the run's counters the message ends in; absent while it is retried, or for a fatal stop. */
  counted?: 'uncertain' | 'deferred' | 'failed';
  /** The address refused the message for good: count a hard bounce against the reader. */
  hardBounce: boolean;
  /** Stop the run, and why. */
  stopRun?: string;
  /** Failures in a row after this one. */
  consecutiveFailures: number;
}

/**
 * Decides what a failed SMTP transaction means for its delivery and for the run. Pure: the send
 * loop applies the decision to the ledger and its counters.
 * - `uncertain`: never retried (resending could deliver twice); the operator settles it.
 * - `transient`: released and retried with backoff (base × 4^(tries−1)) up to `maxAttempts` in
 *   this run, then deferred to the next run; after `maxTotalAttempts` across runs it fails.
 * - `fatal`: released, and the run stops: nothing will get through.
 * - `recipient-rejected` / `message-rejected`: failed; the first is a hard bounce.
 * - A silent server, or `maxConsecutiveFailures` transient or uncertain failures in a row, stops
 *   the run: SMTP is down, not one reader.
 */
export function decideAfterFailure(attempt: FailedAttempt, policy: RetryPolicy): RetryDecision {
  let kind = attempt.kind;
  let error = attempt.message;
  if (kind === 'transient' && attempt.attemptsTotal >= policy.maxTotalAttempts) {
    // A mailbox that refuses for days is not going to take this digest; stop retrying it.
    kind = 'message-rejected';
    error = `gave up after ${attempt.attemptsTotal} attempts; last: ${attempt.message}`;
  }
  // A relay that went silent would make every further message wait the timeout out too (and,
  // after DATA, leave each one uncertain): stop the pass; the rest stay planned for the next.
  const silentStop = attempt.silent ? `the SMTP server stopped answering within SMTP_TIMEOUT_SECONDS: ${error}` : undefined;
  const inARow = attempt.consecutiveFailures + 1;
  const tooMany = inARow >= policy.maxConsecutiveFailures;

  if (kind === 'uncertain') {
    const stopRun = silentStop ?? (tooMany ? `${inARow} SMTP failures in a row; last: ${error}` : undefined);
    return { record: 'uncertain', error, counted: 'uncertain', hardBounce: false, consecutiveFailures: inARow, ...(stopRun ? { stopRun } : {}) };
  }
  if (kind === 'fatal') {
    return { record: 'planned', error, hardBounce: false, stopRun: silentStop ?? error, consecutiveFailures: attempt.consecutiveFailures };
  }
  if (kind === 'transient') {
    const stopRun = silentStop ?? (tooMany ? `${inARow} transient SMTP failures in a row; last: ${error}` : undefined);
    const retry = attempt.triesInRun < policy.maxAttempts && !attempt.runStopping && stopRun === undefined;
    return {
      record: 'planned',
      error,
      hardBounce: false,
      consecutiveFailures: inARow,
      ...(retry ? { retryAfterMs: policy.retryBaseMs * 4 ** (attempt.triesInRun - 1) } : { counted: 'deferred' as const }),
      ...(stopRun ? { stopRun } : {}),
    };
  }
  // Refused for good: the server is answering, so the failures-in-a-row count starts again.
  return { record: 'failed', error, counted: 'failed', hardBounce: kind === 'recipient-rejected', consecutiveFailures: 0, ...(silentStop ? { stopRun: silentStop } : {}) };
}
