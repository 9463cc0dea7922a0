import type { ReaderChoices } from '../model/subscriber.js';
import { checkChoices, noChoicesGiven } from './choices.js';
import { checkName, checkTimezone, checkTopics, operatorMessage, type RuleCheck } from './rules.js';
import { checkEmailAddress } from '../subscribers/email-address.js';
import type { RawSubscriberRow } from '../subscribers/subscriber-file.js';

/**
 * A validated subscriber. `name` and `timezone` are undefined when the source did not mention them
 * (no such CSV column, no such JSON key), which tells an update to keep the stored value; null
 * means "clear it".
 */
export interface SubscriberFields {
  email: string;
  name: string | null | undefined;
  timezone: string | null | undefined;
  topics: string[];
  /** Undefined when the source named no choice (no such columns or keys): an update keeps the stored ones. */
  choices?: ReaderChoices;
}

/** The outcome of validating one row. `email` is set whenever the address itself was valid, for duplicate checks. */
export type RowCheck = { ok: true; value: SubscriberFields } | { ok: false; email: string | undefined; problems: string[] };

/**
 * Validates one raw row against the topic catalogue and collects every problem it has, so the
 * operator can fix a row in one pass.
 */
export function validateSubscriberRow(raw: RawSubscriberRow, catalogue: ReadonlySet<string>): RowCheck {
  if (raw.problems.length > 0) return { ok: false, email: undefined, problems: [...raw.problems] };
  const problems: string[] = [];

  let email: string | undefined;
  if (raw.email === undefined || raw.email === null) problems.push('email is missing');
  else if (typeof raw.email !== 'string') problems.push('email must be text');
  else {
    const r = checkEmailAddress(raw.email);
    if (r.ok) email = r.email;
    else problems.push(r.reason);
  }

  const slugs = [...catalogue];
  const name = keep(checkName(raw.name), problems);
  const topics = keep(checkTopics(raw.topics, slugs), problems) ?? [];
  const timezone = keep(checkTimezone(raw.timezone, { required: false }), problems);
  const choices = noChoicesGiven(raw) ? undefined : checkChoices(raw);
  if (choices && !choices.ok) problems.push(...Object.values(choices.errors));

  if (problems.length > 0 || email === undefined) return { ok: false, email, problems };
  return { ok: true, value: { email, name, timezone, topics, ...(choices?.ok ? { choices: choices.choices } : {}) } };
}

/** The checked value, or undefined after adding the operator's wording of the problem. */
function keep<T>(check: RuleCheck<T>, problems: string[]): T | undefined {
  if (check.ok) return check.value;
  problems.push(operatorMessage(check.problem));
  return undefined;
}
