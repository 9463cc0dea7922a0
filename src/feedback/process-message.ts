import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import { readFeedbackMessage } from './parse-report.js';
import { recordFeedback, type FeedbackOutcome, type FeedbackRules } from './record-feedback.js';

/**
 * Reads one message from the bounce mailbox (a file, stdin, IMAP) and records what it says. The
 * reading never fails for odd content; only the store can make this throw, and then nothing of
 * the report was kept, so the caller may safely try again (the MTA retries, the poller leaves
 * the message in place).
 */
export async function processFeedbackMessage(
  store: Store,
  rules: FeedbackRules,
  raw: Buffer,
  source: 'mail' | 'imap',
  logger: Logger,
  /** The envelope recipient the MTA delivered to (e.g. Postfix's ${original_recipient}), where VERP lives. */
  envelopeTo: string[] = [],
): Promise<FeedbackOutcome> {
  const report = await readFeedbackMessage(raw);
  report.refs.envelopeTo.unshift(...envelopeTo.map((a) => a.toLowerCase()));
  const outcome = await recordFeedback(store, rules, report, { name: source, raw });
  logFeedback(logger, outcome);
  return outcome;
}

/** One log line per report: what it was, whom it matched, and what happened. */
export function logFeedback(logger: Logger, outcome: FeedbackOutcome): void {
  const fields = { kind: outcome.kind, to: outcome.email, delivery: outcome.deliveryId, matchedBy: outcome.matchedBy, action: outcome.action, summary: outcome.summary };
  if (outcome.duplicate) logger.info('feedback report already recorded; nothing changed', fields);
  else if (outcome.kind === 'ignored') logger.info('feedback message ignored', fields);
  else if (outcome.matchedBy === 'none') logger.warn('feedback report matched no delivery or reader', fields);
  else logger.info('feedback report recorded', fields);
}
