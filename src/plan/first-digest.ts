import type { ReaderChoices } from '../model/subscriber.js';
import { addDays, cadenceWords, isEditionDay, weekdayOf } from './cadence.js';
import { localMoment, parseClock } from './local-time.js';

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const DAILY: Pick<ReaderChoices, 'frequency' | 'weekday'> = { frequency: 'daily', weekday: null };

/**
 * When a reader who confirms at `now` gets their first digest, in words for the welcome email,
 * by the scheduler's own rule: on an edition day before its send time, that day at it; within the
 * catch-up window after it, at the next tick; otherwise the reader's next edition day (a weekday
 * reader who confirms on Friday evening hears "on Monday", not "tomorrow").
 */
export function firstDigestLabel(now: Date, sendTime: string, timeZone: string, catchupHours: number, choices: Pick<ReaderChoices, 'frequency' | 'weekday'> = DAILY): string {
  const local = localMoment(now, timeZone);
  const send = parseClock(sendTime);
  const at = `${sendTime} ${timeZone}`;
  if (isEditionDay(choices, local.date)) {
    if (local.minutes < send) return `today at ${at}`;
    if (local.minutes - send <= catchupHours * 60) return `within a few minutes (today’s edition), then ${cadenceWords(choices)} at ${at}`;
  }
  // Every frequency has an edition day within the next seven.
  for (let days = 1; days <= 7; days++) {
    const date = addDays(local.date, days);
    if (!isEditionDay(choices, date)) continue;
    return days === 1 ? `tomorrow at ${at}` : `on ${DAY_NAMES[weekdayOf(date)]} at ${at}`;
  }
  return `tomorrow at ${at}`;
}
