import { AppError } from '../errors.js';
import type { Store } from '../store/store.js';
import { normaliseEmailAddress } from '../subscribers/email-address.js';
import { importSubscribers } from './import-subscribers.js';

/** One reader as `subscribers add` receives it; validated here. */
export interface AddSubscriberInput {
  email: string;
  topics: string[];
  /** Omitted: keep the stored name when the address exists; null clears it. */
  name?: string | null;
  /** Omitted: keep the stored timezone when the address exists; null means DIGEST_TIMEZONE. */
  timezone?: string | null;
  /** daily, weekdays or weekly; with weekday and sendTime checked by src/subscriptions. Omitted: keep. */
  frequency?: string;
  weekday?: string;
  sendTime?: string;
}

/**
 * Adds one reader, or updates them in place when the address is already stored. It is a one-row
 * import, so `add` and `import` can never disagree about what a valid subscriber is or which
 * statuses may change.
 *
 * @throws AppError SUBSCRIBER_INVALID when the input is invalid, or when the address has
 * unsubscribed or bounced (only the reader can come back).
 */
export async function addSubscriber(
  store: Store,
  input: AddSubscriberInput,
  options: { status: 'active' | 'pending'; now: string; consentSource?: string },
): Promise<{ email: string; outcome: 'added' | 'updated' }> {
  const row = { row: 1, label: 'subscriber', problems: [], ...input };
  const result = await importSubscribers(store, [row], { ...options, skipInvalid: true, source: 'subscriber' });
  const bad = result.invalid[0];
  if (bad) throw new AppError('SUBSCRIBER_INVALID', `cannot add the subscriber: ${bad.reason}`, { hint: hintFor(bad.reason) });
  const skipped = result.skipped[0];
  if (skipped) {
    throw new AppError('SUBSCRIBER_INVALID', `cannot add the subscriber: ${skipped.reason}`, {
      hint: 'a reader who unsubscribed or bounced must sign up again themselves',
    });
  }
  return { email: normaliseEmailAddress(input.email), outcome: result.added === 1 ? 'added' : 'updated' };
}

/** A hint about what was actually wrong: the address, the topics, or both. */
function hintFor(reason: string): string {
  const hints: string[] = [];
  if (/address|email/i.test(reason)) hints.push('check the address: it must look like name@example.com');
  if (/topic/i.test(reason)) hints.push('topic-digest topics list shows the topic slugs');
  if (/timezone/i.test(reason)) hints.push('use an IANA timezone such as Asia/Singapore');
  return hints.length > 0 ? hints.join('; ') : 'topic-digest subscribers add --help shows the options';
}
