import type { ReaderChoices } from '../model/subscriber.js';
import type { Topic } from '../model/topic.js';
import { checkEmailAddress } from '../subscribers/email-address.js';
import { checkChoices, type ChoiceErrors } from './choices.js';
import { checkName, checkTimezone, checkTopics, readerMessage } from './rules.js';

/**
 * The signup and preferences forms checked against the rules in rules.ts and choices.ts, with the
 * messages a visitor reads. Pure functions of what was typed and the catalogue, so the service
 * decides and the routes only parse and render.
 */

/** What the visitor typed on the signup form, echoed back when it has errors. */
export interface SignupValues {
  email: string;
  name: string;
  topics: string[];
  timezone: string;
  frequency: string;
  weekday: string;
  sendTime: string;
}

/** Per-field messages; an empty object means the form is valid. */
export interface SignupErrors extends ChoiceErrors {
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
  choices: ReaderChoices;
}

/** The outcome of {@link checkSignup}. */
export type SignupCheck = { ok: true; signup: ValidSignup } | { ok: false; values: SignupValues; errors: SignupErrors };

/** Checks a signup form; every field's problem is reported at once. */
export function checkSignup(values: SignupValues, catalogue: readonly Topic[]): SignupCheck {
  const errors: SignupErrors = {};
  const email = checkEmailAddress(values.email);
  if (!email.ok) errors.email = values.email.trim() === '' ? 'Enter your email address.' : 'Enter a valid email address, like name@example.com.';
  const name = checkName(values.name);
  if (!name.ok) errors.name = readerMessage(name.problem);
  const topics = checkTopics(values.topics, catalogue.map((t) => t.slug));
  if (!topics.ok) errors.topics = readerMessage(topics.problem);
  const tz = checkTimezone(values.timezone, { required: true });
  if (!tz.ok) errors.timezone = readerMessage(tz.problem);
  const choices = checkChoices(values);
  if (!choices.ok) Object.assign(errors, choices.errors);
  if (!email.ok || !name.ok || !topics.ok || !tz.ok || !choices.ok) return { ok: false, values, errors };
  return { ok: true, signup: { email: email.email, name: name.value ?? null, topics: topics.value, timezone: tz.value, choices: choices.choices } };
}

/** What a reader sent from the preferences page. */
export interface PreferenceValues {
  topics: string[];
  timezone: string;
  frequency: string;
  weekday: string;
  sendTime: string;
}

/** Per-field messages for the preferences page. */
export interface PreferenceErrors extends ChoiceErrors {
  topics?: string;
  timezone?: string;
}

/** A valid preferences change. */
export interface ValidPreferences {
  topics: string[];
  timezone: string;
  choices: ReaderChoices;
}

/** The outcome of {@link checkPreferences}; a refusal keeps the zone when only it was fine, to re-show it. */
export type PreferenceCheck = { ok: true; preferences: ValidPreferences } | { ok: false; errors: PreferenceErrors; timezone?: string };

/**
 * Checks a preferences form. An empty topic selection is refused rather than read as "unsubscribe",
 * which should be a deliberate choice.
 */
export function checkPreferences(values: PreferenceValues, catalogue: readonly Topic[]): PreferenceCheck {
  const topics = checkTopics(values.topics, catalogue.map((t) => t.slug));
  const tz = checkTimezone(values.timezone, { required: true });
  const choices = checkChoices(values);
  if (topics.ok && tz.ok && choices.ok) return { ok: true, preferences: { topics: topics.value, timezone: tz.value, choices: choices.choices } };
  const errors: PreferenceErrors = { ...(topics.ok ? {} : { topics: readerMessage(topics.problem) }), ...(tz.ok ? {} : { timezone: readerMessage(tz.problem) }), ...(choices.ok ? {} : choices.errors) };
  return { ok: false, errors, ...(tz.ok ? { timezone: tz.value } : {}) };
}
