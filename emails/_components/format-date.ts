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

function parts(localDate: string): Record<string, string> {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(localDate);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!m || !date || date.getUTCDate() !== Number(m[3]) || date.getUTCMonth() !== Number(m[2]) - 1) {
    throw new RangeError(`not a calendar date (YYYY-MM-DD): ${JSON.stringify(localDate)}`);
  }
  // Assembled from parts because ICU versions disagree on the comma after the weekday.
  return Object.fromEntries(longFormat.formatToParts(date).map((p) => [p.type, p.value]));
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
 * "27 Nov, 06:40 UTC": when a story was published. One edition goes to readers in many zones,
 * so the zone is stated rather than guessed. Empty for an unparseable time.
 */
export function publishedLabel(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  const p = Object.fromEntries(publishedFormat.formatToParts(at).map((x) => [x.type, x.value]));
  return `${p.day} ${p.month}, ${p.hour}:${p.minute} UTC`;
}
