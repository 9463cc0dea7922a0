import { AppError } from '../errors.js';
import { localMoment, parseClock } from '../plan/local-time.js';

/**
 * Turns "the send time on this local date, in this zone" into the instant the scheduler would
 * plan at, so a preview for a date sees exactly the window a send on that morning would.
 */

/** Checks a `--date` value: a real calendar day written YYYY-MM-DD. */
export function parseCalendarDate(value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!m || !d || d.toISOString().slice(0, 10) !== m[0]) {
    throw new AppError('USAGE', `--date ${JSON.stringify(value)} is not a calendar date`, { hint: 'use YYYY-MM-DD, e.g. --date 2026-11-27' });
  }
  return m[0];
}

/**
 * The UTC instant at which the wall clock in `timeZone` shows `hhmm` on `date`. If a DST switch
 * skips that wall time, the answer is within an hour of it, on the same local date.
 */
export function sendMomentOn(date: string, hhmm: string, timeZone: string): Date {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const wanted = Date.UTC(y, mo - 1, d) + parseClock(hhmm) * 60_000;
  // Start from the wall time read as UTC, then correct by the zone's offset; twice, because the
  // offset itself can change between the guess and the answer around a DST switch.
  let at = wanted;
  for (let i = 0; i < 2; i++) at += wanted - wallClockAsUtc(new Date(at), timeZone);
  return new Date(at);
}

function wallClockAsUtc(at: Date, timeZone: string): number {
  const { date, minutes } = localMoment(at, timeZone);
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, mo - 1, d) + minutes * 60_000 + (at.getTime() % 60_000);
}
