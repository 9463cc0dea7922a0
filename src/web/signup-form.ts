import type { Topic } from '../model/topic.js';
import { checkEmailAddress } from '../subscribers/email-address.js';
import { canonicalTimeZone } from '../subscribers/timezone.js';
import { field, fieldList, type FormBody } from './form.js';

/**
 * Validation of the signup form, kept apart from the route so it is a pure function of the form
 * and the catalogue.
 */

/** What the visitor typed, echoed back when the form has errors. */
export interface SignupValues {
  email: string;
  name: string;
  topics: string[];
  timezone: string;
}

/** Per-field messages; an empty object means the form is valid. */
export interface SignupErrors {
  email?: string;
  name?: string;
  topics?: string;
  timezone?: string;
}

/** A valid signup ready to store. */
export interface ValidSignup {
  email: string;
  name: string | null;
  topics: string[];
  timezone: string;
}

/** The outcome of {@link validateSignup}. */
export type SignupCheck = { ok: true; signup: ValidSignup } | { ok: false; values: SignupValues; errors: SignupErrors };

/** The longest name we keep; longer input is refused, not cut, so nobody is surprised. */
export const MAX_NAME_LENGTH = 100;

/** Checks a topic selection against the catalogue; returns the slugs in catalogue order, or an error. */
export function checkTopics(catalogue: readonly Topic[], chosen: readonly string[]): { ok: true; topics: string[] } | { ok: false; error: string } {
  const known = new Set(catalogue.map((t) => t.slug));
  const picked = new Set(chosen);
  if (picked.size === 0) return { ok: false, error: 'Choose at least one topic.' };
  if ([...picked].some((s) => !known.has(s))) return { ok: false, error: 'One of the chosen topics does not exist any more. Please choose again.' };
  return { ok: true, topics: catalogue.filter((t) => picked.has(t.slug)).map((t) => t.slug) };
}

/** Checks a time-zone field; returns the canonical name or an error. */
export function checkTimezone(raw: string): { ok: true; timezone: string } | { ok: false; error: string } {
  const tz = raw === '' ? undefined : canonicalTimeZone(raw);
  return tz ? { ok: true, timezone: tz } : { ok: false, error: 'Choose a time zone from the list.' };
}

/** Validates the posted signup form. */
export function validateSignup(form: FormBody, catalogue: readonly Topic[]): SignupCheck {
  const values: SignupValues = {
    email: field(form, 'email').slice(0, 320),
    name: field(form, 'name').slice(0, 300),
    topics: fieldList(form, 'topics'),
    timezone: field(form, 'timezone'),
  };
  const errors: SignupErrors = {};
  const email = checkEmailAddress(values.email);
  if (!email.ok) errors.email = values.email.trim() === '' ? 'Enter your email address.' : 'Enter a valid email address, like name@example.com.';
  // Control characters and line breaks have no place in a name that ends up in mail headers.
  const name = values.name.replace(/\s+/g, ' ').trim();
  if (/\p{Cc}/u.test(values.name.replace(/[\t\r\n]/g, ' '))) errors.name = 'Your name contains characters we cannot use.';
  else if (name.length > MAX_NAME_LENGTH) errors.name = `Keep your name under ${MAX_NAME_LENGTH} characters.`;
  const topics = checkTopics(catalogue, values.topics);
  if (!topics.ok) errors.topics = topics.error;
  const tz = checkTimezone(values.timezone);
  if (!tz.ok) errors.timezone = tz.error;
  if (!email.ok || !topics.ok || !tz.ok || Object.keys(errors).length > 0) return { ok: false, values, errors };
  return { ok: true, signup: { email: email.email, name: name === '' ? null : name, topics: topics.topics, timezone: tz.timezone } };
}
