import { PERSONAL_FIELDS, TOKEN_PATTERN, type PersonalField } from './personal-tokens.js';
import type { MessageParts, PersonalValues } from '../model/edition.js';
import { escapeHtml, singleLine } from './escape.js';

/**
 * Fills personal-field tokens per reader. The template is split into literal and token parts
 * once per rendered edition; each reader then costs a handful of string joins, not a regex scan
 * of 30 KB of HTML.
 */

/** Fills one reader's values into a compiled edition. */
export type Personaliser = (values: PersonalValues) => MessageParts;

/** One string split as [literal, field, literal, field, …, literal]. */
interface Compiled {
  literals: string[];
  fields: PersonalField[];
}

const known = new Set<string>(PERSONAL_FIELDS);

function compile(template: string): Compiled {
  const literals: string[] = [];
  const fields: PersonalField[] = [];
  let pending = '';
  let last = 0;
  for (const m of template.matchAll(TOKEN_PATTERN)) {
    const name = m[1] ?? '';
    if (!known.has(name)) continue; // unknown tokens stay as literal text
    pending += template.slice(last, m.index);
    literals.push(pending);
    fields.push(name as PersonalField);
    pending = '';
    last = m.index + m[0].length;
  }
  literals.push(pending + template.slice(last));
  return { literals, fields };
}

function fill(c: Compiled, values: Record<PersonalField, string>): string {
  let out = c.literals[0] ?? '';
  for (let i = 0; i < c.fields.length; i++) {
    out += values[c.fields[i] as PersonalField] + (c.literals[i + 1] ?? '');
  }
  return out;
}

/** "Hello Ana," or, with no usable name, "Hello,". */
export function greetingFor(name: string | null): string {
  const clean = name === null ? '' : singleLine(name);
  return clean ? `Hello ${clean},` : 'Hello,';
}

function rawValues(v: PersonalValues): Record<PersonalField, string> {
  return {
    unsubscribe_url: v.unsubscribeUrl,
    preferences_url: v.preferencesUrl,
    view_online_url: v.viewOnlineUrl,
    greeting: greetingFor(v.name),
    name: v.name === null ? '' : singleLine(v.name),
    email: v.email,
  };
}

function mapValues(
  values: Record<PersonalField, string>,
  fn: (value: string) => string,
): Record<PersonalField, string> {
  const out = {} as Record<PersonalField, string>;
  for (const field of PERSONAL_FIELDS) out[field] = fn(values[field]);
  return out;
}

/**
 * Compiles a rendered message once; the returned function fills one reader's values. Values are
 * HTML-escaped in `html` (safe in attributes and text), raw in `text`, and forced onto one line
 * in `subject`.
 */
export function compilePersonaliser(rendered: MessageParts): Personaliser {
  const subject = compile(rendered.subject);
  const html = compile(rendered.html);
  const text = compile(rendered.text);
  return (values) => {
    const v = personalValuesByPart(values);
    return { subject: fill(subject, v.subject), html: fill(html, v.html), text: fill(text, v.text) };
  };
}

/** A template split at its known personal tokens: `literals` has one more entry than `fields`. */
export type SplitTemplate = Compiled;

/** Splits a rendered part once, for callers that encode the literals themselves (the MIME encoder). */
export function splitAtTokens(template: string): SplitTemplate {
  return compile(template);
}

/** One reader's values as each part takes them: HTML-escaped, raw for text, one line for the subject. */
export function personalValuesByPart(values: PersonalValues): Record<'subject' | 'html' | 'text', Record<PersonalField, string>> {
  const raw = rawValues(values);
  return { subject: mapValues(raw, singleLine), html: mapValues(raw, escapeHtml), text: raw };
}
