import { WEEKDAYS, type Frequency, type ReaderChoices, type Weekday } from '../model/subscriber.js';

/**
 * The rules for a reader's choices of how often and when: the one place the signup form, the
 * preferences page, file imports and `subscribers add` all check them, so they can never
 * disagree about what a valid choice is.
 */

/** The frequencies a reader may pick, default first. */
export const FREQUENCIES: readonly Frequency[] = ['daily', 'weekdays', 'weekly'];

/** Earliest and latest send time offered, in minutes since local midnight; steps of 30 minutes. */
const FIRST_SEND_MINUTES = 5 * 60;
const LAST_SEND_MINUTES = 22 * 60;
const STEP_MINUTES = 30;

/** Every send time a reader may pick: "05:00", "05:30", …, "22:00". */
export const SEND_TIMES: readonly string[] = Array.from({ length: (LAST_SEND_MINUTES - FIRST_SEND_MINUTES) / STEP_MINUTES + 1 }, (_, i) => clock(FIRST_SEND_MINUTES + i * STEP_MINUTES));

/** Choices as a form, file or command line gives them: anything, or absent. */
export interface RawChoices {
  frequency?: unknown;
  weekday?: unknown;
  sendTime?: unknown;
}

/** Per-field messages, written to read well on a page and in a CLI report alike. */
export interface ChoiceErrors {
  frequency?: string;
  weekday?: string;
  sendTime?: string;
}

/** The outcome of {@link checkChoices}. */
export type ChoiceCheck = { ok: true; choices: ReaderChoices } | { ok: false; errors: ChoiceErrors };

function clock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value.trim() : undefined;
}

/** Parses a weekday name ("Monday", "mon"), or undefined. */
export function parseWeekday(value: string): Weekday | undefined {
  const v = value.trim().toLowerCase();
  if (v.length < 3) return undefined;
  return WEEKDAYS.find((d) => d.startsWith(v) && (v.length === 3 || d === v));
}

/** Parses "7:30" or "07:30" into "07:30" when it is an allowed send time, else undefined. */
export function parseSendTime(value: string): string | undefined {
  const m = /^(\d{1,2}):(\d{2})$/.exec(value.trim());
  if (!m) return undefined;
  const normal = `${m[1]!.padStart(2, '0')}:${m[2]}`;
  return SEND_TIMES.includes(normal) ? normal : undefined;
}

/**
 * Checks a reader's choices. Empty values mean the defaults: daily, at DIGEST_SEND_TIME. A weekly
 * reader must name the day; a weekday given with another frequency is dropped, since it means
 * nothing there.
 */
export function checkChoices(raw: RawChoices): ChoiceCheck {
  const errors: ChoiceErrors = {};
  const f = text(raw.frequency);
  const frequency = f === '' ? 'daily' : FREQUENCIES.find((x) => x === f?.toLowerCase());
  if (!frequency) errors.frequency = `Choose how often: daily, weekdays or weekly${typeof raw.frequency === 'string' ? ` (got ${JSON.stringify(raw.frequency)})` : ''}.`;

  const w = text(raw.weekday);
  const weekday = w ? parseWeekday(w) : undefined;
  if (w === undefined || (w !== '' && !weekday)) errors.weekday = `Choose a day of the week, like Monday${typeof raw.weekday === 'string' ? ` (got ${JSON.stringify(raw.weekday)})` : ''}.`;
  else if (frequency === 'weekly' && !weekday) errors.weekday = 'Choose the day of the week for your weekly digest.';

  const t = text(raw.sendTime);
  const sendTime = t ? parseSendTime(t) : null;
  if (t === undefined || sendTime === undefined) {
    errors.sendTime = `Choose a send time between ${SEND_TIMES[0]} and ${SEND_TIMES.at(-1)} on the hour or half hour${typeof raw.sendTime === 'string' ? ` (got ${JSON.stringify(raw.sendTime)})` : ''}.`;
  }

  if (!frequency || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, choices: { frequency, weekday: frequency === 'weekly' ? (weekday ?? null) : null, sendTime: sendTime ?? null } };
}

/** True when the raw input names no choice at all, so an update keeps what is stored. */
export function noChoicesGiven(raw: RawChoices): boolean {
  return raw.frequency === undefined && raw.weekday === undefined && raw.sendTime === undefined;
}

/** A short description for pages and listings: "weekly on Monday at 08:00". */
export function describeChoices(choices: ReaderChoices, defaultSendTime: string): string {
  const when = `at ${choices.sendTime ?? defaultSendTime}`;
  if (choices.frequency === 'weekly') return `weekly on ${capitalise(choices.weekday ?? 'monday')} ${when}`;
  return `${choices.frequency === 'weekdays' ? 'on weekdays' : 'daily'} ${when}`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
