import { canonicalTimeZone } from '../subscribers/timezone.js';
import { hasBidiControl, show } from '../subscribers/show-value.js';

/**
 * The rules for what a reader's name, topics and time zone may be: the one definition the signup
 * form, the preferences page, file imports, `subscribers add` and the admin API all check. Each
 * check returns what went wrong as data; {@link readerMessage} words it for a visitor on a page
 * and {@link operatorMessage} for an operator reading an import report, so the two audiences get
 * their own wording but never different rules.
 */

/** The longest display name accepted, in characters (code points, as a person counts them). */
export const MAX_NAME_LENGTH = 100;

/** Why a value was refused. `unknown` lists the topic slugs that are not in the catalogue. */
export type RuleProblem =
  | { field: 'name'; kind: 'not-text' | 'too-long' }
  | { field: 'name'; kind: 'control'; value: string }
  | { field: 'topics'; kind: 'not-list' }
  | { field: 'topics'; kind: 'none' }
  | { field: 'topics'; kind: 'unknown'; unknown: string[]; suggestions: Map<string, string> }
  | { field: 'timezone'; kind: 'not-text' | 'required' }
  | { field: 'timezone'; kind: 'unknown'; value: string };

/** The outcome of one check. */
export type RuleCheck<T> = { ok: true; value: T } | { ok: false; problem: RuleProblem };

/**
 * Checks a display name. Every run of whitespace (line breaks, tabs, U+2028 included) becomes
 * one space and the ends are trimmed: the name goes into the To: header, where a line break could
 * smuggle in another header, and a name wrapped onto two lines in a spreadsheet cell is still the
 * reader's name, so collapsing keeps both the mail safe and the import going. Any other control
 * character (NUL, an ESC sequence, DEL, NEL) is refused: it is corrupt data, not a name. So are
 * the bidirectional embeddings, overrides and isolates, which reorder the rest of a line. Empty
 * means "no name" (null); undefined (not given) stays undefined so an update keeps the stored one.
 */
export function checkName(value: unknown): RuleCheck<string | null | undefined> {
  if (value === undefined || value === null) return { ok: true, value };
  if (typeof value !== 'string') return { ok: false, problem: { field: 'name', kind: 'not-text' } };
  const name = value.replace(/\s+/gu, ' ').trim();
  if (/\p{Cc}/u.test(name) || hasBidiControl(name)) return { ok: false, problem: { field: 'name', kind: 'control', value } };
  if ([...name].length > MAX_NAME_LENGTH) return { ok: false, problem: { field: 'name', kind: 'too-long' } };
  return { ok: true, value: name === '' ? null : name };
}

/**
 * Checks a topic selection against the catalogue slugs, given in catalogue order. Slugs are
 * trimmed and de-duplicated; at least one is needed, because a reader with no topic would get an
 * empty digest (leaving is what unsubscribe is for). Returns the slugs in catalogue order, so a
 * reader's topics read the same wherever they were chosen.
 */
export function checkTopics(value: unknown, catalogue: readonly string[]): RuleCheck<string[]> {
  if (value === undefined || value === null) return { ok: false, problem: { field: 'topics', kind: 'none' } };
  if (!Array.isArray(value) || !value.every((t) => typeof t === 'string')) return { ok: false, problem: { field: 'topics', kind: 'not-list' } };
  const picked = new Set(value.map((t: string) => t.trim()).filter((t) => t !== ''));
  if (picked.size === 0) return { ok: false, problem: { field: 'topics', kind: 'none' } };
  const known = new Set(catalogue);
  const unknown = [...picked].filter((t) => !known.has(t));
  if (unknown.length > 0) {
    const suggestions = new Map<string, string>();
    for (const t of unknown) {
      const near = nearestSlug(t, catalogue);
      if (near) suggestions.set(t, near);
    }
    return { ok: false, problem: { field: 'topics', kind: 'unknown', unknown, suggestions } };
  }
  return { ok: true, value: catalogue.filter((s) => picked.has(s)) };
}

/**
 * Checks an IANA time zone and returns its canonical spelling. `required` decides what an empty
 * value means: the signup and preferences forms always offer a zone, so empty there is an error;
 * a file or command may leave it empty to mean DIGEST_TIMEZONE (null). Undefined (not given)
 * stays undefined so an update keeps the stored zone.
 */
export function checkTimezone(value: unknown, options: { required: true }): RuleCheck<string>;
export function checkTimezone(value: unknown, options: { required: false }): RuleCheck<string | null | undefined>;
export function checkTimezone(value: unknown, options: { required: boolean }): RuleCheck<string | null | undefined> {
  if (value === undefined && !options.required) return { ok: true, value: undefined };
  if (value !== undefined && value !== null && typeof value !== 'string') return { ok: false, problem: { field: 'timezone', kind: 'not-text' } };
  if (value === undefined || value === null || value.trim() === '') {
    return options.required ? { ok: false, problem: { field: 'timezone', kind: 'required' } } : { ok: true, value: null };
  }
  const zone = canonicalTimeZone(value);
  return zone === undefined ? { ok: false, problem: { field: 'timezone', kind: 'unknown', value } } : { ok: true, value: zone };
}

/** How a visitor on the signup or preferences page is told: short, and about what to do. */
export function readerMessage(problem: RuleProblem): string {
  switch (problem.field) {
    case 'name':
      return problem.kind === 'too-long' ? `Keep your name under ${MAX_NAME_LENGTH} characters.` : 'Your name contains characters we cannot use.';
    case 'topics':
      return problem.kind === 'unknown' ? 'One of the chosen topics does not exist any more. Please choose again.' : 'Choose at least one topic.';
    case 'timezone':
      return 'Choose a time zone from the list.';
  }
}

/** How an operator reading an import or `subscribers add` report is told: the value and the rule. */
export function operatorMessage(problem: RuleProblem): string {
  switch (problem.field) {
    case 'name':
      if (problem.kind === 'not-text') return 'name must be text';
      if (problem.kind === 'control') return `name ${show(problem.value)} contains a control character`;
      return `name is longer than ${MAX_NAME_LENGTH} characters`;
    case 'topics': {
      if (problem.kind === 'not-list') return 'topics must be a list of topic slugs';
      if (problem.kind === 'none') return 'at least one topic is required';
      const described = problem.unknown.map((t) => {
        const near = problem.suggestions.get(t);
        return near ? `${show(t)} (did you mean ${show(near)}?)` : show(t);
      });
      return `unknown topic${problem.unknown.length > 1 ? 's' : ''} ${described.join(', ')}`;
    }
    case 'timezone':
      if (problem.kind === 'unknown') return `timezone ${show(problem.value)} is not an IANA timezone (like Europe/London)`;
      return problem.kind === 'not-text' ? 'timezone must be text' : 'timezone is missing';
  }
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
