/**
 * Calendar-date labels. The edition date is a local calendar day with no time, so it is formatted
 * in UTC: formatting it in the server's zone would shift it by a day west of Greenwich.
 */

const longFormat = new Intl.DateTimeFormat('en-GB', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

function formatParts(localDate: string): Record<string, string> {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(localDate);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!m || !date || date.getUTCDate() !== Number(m[3]) || date.getUTCMonth() !== Number(m[2]) - 1) {
    throw new RangeError(`not a calendar date (YYYY-MM-DD): ${JSON.stringify(localDate)}`);
  }
  // Assembled from parts because ICU versions disagree on the comma after the weekday.
  return Object.fromEntries(longFormat.formatToParts(date).map((p) => [p.type, p.value]));
}

// A day's run renders thousands of editions for a handful of dates, and formatToParts costs
// about as much as rendering a story, so each date's parts are kept (a few dozen at most).
const partsCache = new Map<string, Record<string, string>>();
const PARTS_CACHE_MAX = 64;

function parts(localDate: string): Record<string, string> {
  let p = partsCache.get(localDate);
  if (!p) {
    p = formatParts(localDate);
    if (partsCache.size >= PARTS_CACHE_MAX) partsCache.clear();
    partsCache.set(localDate, p);
  }
  return p;
}

/** "Friday 27 November 2026", for the masthead. Throws RangeError for a malformed date. */
export function formatLongDate(localDate: string): string {
  const p = parts(localDate);
  return `${p.weekday} ${p.day} ${p.month} ${p.year}`;
}

/** "Friday 27 November", for the subject line. Throws RangeError for a malformed date. */
export function formatShortDate(localDate: string): string {
  const p = parts(localDate);
  return `${p.weekday} ${p.day} ${p.month}`;
}

/** True when `localDate` is a real YYYY-MM-DD calendar date. */
export function isCalendarDate(localDate: string): boolean {
  try {
    parts(localDate);
    return true;
  } catch {
    return false;
  }
}

const publishedFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' });

/**
 * The month names `publishedFormat` prints ("Sept" or "Sep" depends on the ICU version), taken
 * from it once: formatToParts per story was a tenth of the render's CPU.
 */
const shortMonths = Array.from({ length: 12 }, (_, month) => publishedFormat.formatToParts(Date.UTC(2001, month, 15, 12)).find((x) => x.type === 'month')?.value ?? '');

const twoDigits = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * "27 Nov, 06:40 UTC": when a story was published. One edition goes to readers in many zones,
 * so the zone is stated rather than guessed. Empty for an unparseable time. The same text as
 * `publishedFormat`'s parts (a test compares them), built from the UTC fields.
 */
export function publishedLabel(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  return `${at.getUTCDate()} ${shortMonths[at.getUTCMonth()]}, ${twoDigits(at.getUTCHours())}:${twoDigits(at.getUTCMinutes())} UTC`;
}

/** `publishedLabel` as Intl formats it, for the test that holds the fast version to it. */
export function publishedLabelIntl(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  const p = Object.fromEntries(publishedFormat.formatToParts(at).map((x) => [x.type, x.value]));
  return `${p.day} ${p.month}, ${p.hour}:${p.minute} UTC`;
}
