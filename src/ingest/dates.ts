/**
 * Strict date reading for every import path. `Date.parse` quietly rolls 2025-02-30 over to
 * 2 March; a story dated like that is a broken feed, so it is refused instead of moved.
 */

/** The years a story's date may fall in; anything else is a typo or a placeholder. */
export const MIN_YEAR = 1970;
export const MAX_YEAR = 2100;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;
/** RFC 822/1123 as RSS writes it: "Sun, 02 Mar 2025 10:00:00 GMT" (weekday optional). */
const RFC822 = /^(?:[a-z]{3},?\s+)?(\d{1,2})\s+([a-z]{3})[a-z]*\s+(\d{2,4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?/i;

/** Why a date string was refused, or the ISO-8601 UTC time it names. */
export type DateReading = { ok: true; iso: string } | { ok: false; reason: string };

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function checkParts(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): string | null {
  if (year < MIN_YEAR || year > MAX_YEAR) return `year ${year} is outside ${MIN_YEAR}–${MAX_YEAR}`;
  if (month < 1 || month > 12) return `month ${month} does not exist`;
  if (day < 1 || day > daysIn(year, month)) return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')} is not a real date`;
  if (hour > 23 || minute > 59 || second > 60) return `${hour}:${minute}:${second} is not a real time`;
  return null;
}

/**
 * Reads an ISO-8601 or RFC 822 date strictly: the calendar date must exist and the year must lie
 * in {@link MIN_YEAR}–{@link MAX_YEAR}. Other formats `Date.parse` reads are accepted only when
 * their year is in range.
 */
export function readDate(value: string): DateReading {
  const v = value.trim();
  const iso = ISO.exec(v);
  const rfc = iso ? null : RFC822.exec(v);
  let problem: string | null = null;
  if (iso) {
    problem = checkParts(+iso[1]!, +iso[2]!, +iso[3]!, +(iso[4] ?? 0), +(iso[5] ?? 0), +(iso[6] ?? 0));
  } else if (rfc) {
    const month = MONTHS.indexOf(rfc[2]!.slice(0, 3).toLowerCase()) + 1;
    const rawYear = +rfc[3]!;
    const year = rfc[3]!.length === 2 ? (rawYear < 50 ? 2000 + rawYear : 1900 + rawYear) : rawYear;
    problem = month === 0 ? `"${rfc[2]}" is not a month` : checkParts(year, month, +rfc[1]!, +(rfc[4] ?? 0), +(rfc[5] ?? 0), +(rfc[6] ?? 0));
  }
  if (problem) return { ok: false, reason: `"${v}": ${problem}` };
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) return { ok: false, reason: `"${v}" is not a date (use ISO-8601 or RFC 822)` };
  const year = new Date(ms).getUTCFullYear();
  if (year < MIN_YEAR || year > MAX_YEAR) return { ok: false, reason: `"${v}": year ${year} is outside ${MIN_YEAR}–${MAX_YEAR}` };
  return { ok: true, iso: new Date(ms).toISOString() };
}
