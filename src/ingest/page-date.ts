import { readDate } from './dates.js';

/**
 * The date a scraped page prints for its story: in a photo caption ("… on January 21, 2025") or
 * in the dateline ("HARBOUR CITY, 21 Jan 2025 - …"). Only a full date with a year counts, and only
 * when every such date agrees: two different dates, or "on Jan 21" with no year, are ambiguous,
 * and the import time is used instead.
 */

const MONTH = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
const MONTH_DAY_YEAR = new RegExp(`\\b${MONTH}\\s+(\\d{1,2}),?\\s+(\\d{4})\\b`, 'gi');
const DAY_MONTH_YEAR = new RegExp(`\\b(\\d{1,2})\\s+${MONTH},?\\s+(\\d{4})\\b`, 'gi');
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function iso(year: string, month: string, day: string): string | null {
  const m = MONTHS.indexOf(month.slice(0, 3).toLowerCase()) + 1;
  const r = readDate(`${year}-${String(m).padStart(2, '0')}-${day.padStart(2, '0')}`);
  return r.ok ? r.iso : null;
}

/** Every full date in `text`, as ISO midnight UTC. */
export function datesIn(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(MONTH_DAY_YEAR)) found.push(iso(m[3]!, m[1]!, m[2]!) ?? '');
  for (const m of text.matchAll(DAY_MONTH_YEAR)) found.push(iso(m[3]!, m[2]!, m[1]!) ?? '');
  return found.filter(Boolean);
}

/** The dateline of a first paragraph: the text before its " - " when that comes early. */
export function datelineOf(paragraph: string): string {
  const m = /^(.{2,60}?)\s+[-–—]\s+/.exec(paragraph);
  return m?.[1] ?? '';
}

/** The one date the given places agree on, or null when there is none or they disagree. */
export function unambiguousDate(places: Array<string | null | undefined>): string | null {
  const dates = new Set(places.flatMap((p) => (p ? datesIn(p) : [])));
  return dates.size === 1 ? [...dates][0]! : null;
}
