import type { EditionLabel } from '../model/edition.js';
import { WEEKDAYS, type ReaderChoices } from '../model/subscriber.js';

/**
 * What a reader's frequency means for planning: on which local days they are due, how far back
 * their window may reach, and the label their edition carries. One place, so the planner, the
 * preview and the tests agree on "which edition is this".
 */

const DAY_MS = 86_400_000;

/** The local weekday (0 = Sunday) of a YYYY-MM-DD date. */
export function weekdayOf(localDate: string): number {
  return new Date(`${localDate}T00:00:00Z`).getUTCDay();
}

/** `localDate` moved by `days` calendar days. */
export function addDays(localDate: string, days: number): string {
  return new Date(Date.parse(`${localDate}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whether a reader with these choices gets an edition on this local date. */
export function isEditionDay(choices: Pick<ReaderChoices, 'frequency' | 'weekday'>, localDate: string): boolean {
  const day = weekdayOf(localDate);
  if (choices.frequency === 'weekdays') return day >= 1 && day <= 5;
  // A weekly reader without a stored day (should not happen: validation demands one) gets Mondays.
  if (choices.frequency === 'weekly') return day === WEEKDAYS.indexOf(choices.weekday ?? 'monday');
  return true;
}

/**
 * The furthest back a window reaches. A daily reader back from a long pause gets the last week,
 * not months of backlog; a weekly reader's stories may carry over a skipped week or three.
 */
export function maxWindowMs(frequency: ReaderChoices['frequency']): number {
  return (frequency === 'weekly' ? 28 : 7) * DAY_MS;
}

/** Where a reader's first window starts: a weekly reader's first edition is a whole week. */
export function firstWindowMs(frequency: ReaderChoices['frequency'], lookbackHours: number): number {
  return frequency === 'weekly' ? Math.max(7 * DAY_MS, lookbackHours * 3_600_000) : lookbackHours * 3_600_000;
}

const dayMonth = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', timeZone: 'UTC' });
const weekdayDayMonth = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' });

function parts(fmt: Intl.DateTimeFormat, localDate: string): Record<string, string> {
  return Object.fromEntries(fmt.formatToParts(new Date(`${localDate}T00:00:00Z`)).map((p) => [p.type, p.value]));
}

/** "23–29 November", or "30 November – 6 December" across a month end. */
function range(from: string, to: string): string {
  const a = parts(dayMonth, from);
  const b = parts(dayMonth, to);
  return a.month === b.month ? `${a.day}–${b.day} ${b.month}` : `${a.day} ${a.month} – ${b.day} ${b.month}`;
}

/**
 * Which edition this is, in words: "Your daily digest, Friday 27 November", "Your weekday
 * digest, Monday 30 November", "Your weekly digest, 23–29 November". A weekly edition names the
 * seven full days before its send day: sent on Monday morning, its stories are last week's.
 */
export function editionLabel(frequency: ReaderChoices['frequency'], localDate: string): EditionLabel {
  if (frequency === 'weekly') {
    const from = addDays(localDate, -7);
    const to = addDays(localDate, -1);
    return { frequency, from, to, text: `Your ${digestName(frequency)}, ${range(from, to)}` };
  }
  const p = parts(weekdayDayMonth, localDate);
  return { frequency, from: localDate, to: localDate, text: `Your ${digestName(frequency)}, ${p.weekday} ${p.day} ${p.month}` };
}

/** What a reader's edition is called: "daily digest", "weekday digest" or "weekly digest". */
export function digestName(frequency: ReaderChoices['frequency']): string {
  return `${frequency === 'weekdays' ? 'weekday' : frequency} digest`;
}

/** When a reader's editions come, for a sentence: "each morning", "each weekday morning", "each Monday morning". */
export function cadenceWords(choices: Pick<ReaderChoices, 'frequency' | 'weekday'>): string {
  if (choices.frequency === 'weekdays') return 'each weekday morning';
  if (choices.frequency === 'weekly') {
    const day = choices.weekday ?? 'monday';
    return `each ${day[0]!.toUpperCase()}${day.slice(1)} morning`;
  }
  return 'each morning';
}
