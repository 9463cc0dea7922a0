import type { ReaderChoices } from '../model/subscriber.js';
import { checkChoices, noChoicesGiven } from '../subscriptions/choices.js';
import { checkEmailAddress } from './email-address.js';
import { show } from './show-value.js';
import type { RawSubscriberRow } from './subscriber-file.js';
import { canonicalTimeZone } from './timezone.js';

/** The longest display name accepted, in characters. */
export const MAX_NAME_LENGTH = 100;

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

  const name = checkName(raw.name, problems);
  const topics = checkTopics(raw.topics, catalogue, problems);
  const timezone = checkTimezone(raw.timezone, problems);
  const choices = noChoicesGiven(raw) ? undefined : checkChoices(raw);
  if (choices && !choices.ok) problems.push(...Object.values(choices.errors));

  if (problems.length > 0 || email === undefined) return { ok: false, email, problems };
  return { ok: true, value: { email, name, timezone, topics, ...(choices?.ok ? { choices: choices.choices } : {}) } };
}

function checkName(value: unknown, problems: string[]): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (typeof value !== 'string') {
    problems.push('name must be text');
    return undefined;
  }
  const name = value.trim();
  // The name ends up in the To: header; a line break there could smuggle in extra headers.
  if (/[\p{Cc}\u2028\u2029]/u.test(name) || /[\r\n]/.test(value)) {
    problems.push(`name ${show(value)} contains a line break or control character`);
    return undefined;
  }
  if ([...name].length > MAX_NAME_LENGTH) {
    problems.push(`name is longer than ${MAX_NAME_LENGTH} characters`);
    return undefined;
  }
  return name === '' ? null : name;
}

function checkTopics(value: unknown, catalogue: ReadonlySet<string>, problems: string[]): string[] {
  if (value === undefined || value === null) {
    problems.push('at least one topic is required');
    return [];
  }
  if (!Array.isArray(value) || !value.every((t) => typeof t === 'string')) {
    problems.push('topics must be a list of topic slugs');
    return [];
  }
  const topics = [...new Set(value.map((t: string) => t.trim()).filter((t) => t !== ''))];
  if (topics.length === 0) {
    problems.push('at least one topic is required');
    return [];
  }
  const unknown = topics.filter((t) => !catalogue.has(t));
  if (unknown.length > 0) {
    const known = [...catalogue];
    const described = unknown.map((t) => {
      const near = nearestSlug(t, known);
      return near ? `${show(t)} (did you mean ${show(near)}?)` : show(t);
    });
    problems.push(`unknown topic${unknown.length > 1 ? 's' : ''} ${described.join(', ')}`);
  }
  return topics;
}

/** The catalogue slug a mistyped one most likely meant: same letters in another case, or at most two edits away. */
export function nearestSlug(typed: string, known: readonly string[]): string | undefined {
  const t = typed.toLowerCase();
  let best: { slug: string; distance: number } | undefined;
  for (const slug of known) {
    const d = editDistance(t, slug.toLowerCase());
    if (d <= Math.min(2, Math.floor(slug.length / 3)) && (!best || d < best.distance)) best = { slug, distance: d };
  }
  return best?.slug;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length]!;
}

function checkTimezone(value: unknown, problems: string[]): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (typeof value !== 'string') {
    problems.push('timezone must be text');
    return undefined;
  }
  if (value.trim() === '') return null;
  const zone = canonicalTimeZone(value);
  if (zone === undefined) problems.push(`timezone ${show(value)} is not an IANA timezone (like Europe/London)`);
  return zone;
}
