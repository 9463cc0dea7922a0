import { localMoment, parseClock } from './local-time.js';

/**
 * When a reader who confirms at `now` gets their first digest, in words for the welcome email,
 * by the scheduler's own rule: before today's send time, today at it; within the catch-up window
 * after it, at the next tick; later than that, tomorrow.
 */
export function firstDigestLabel(now: Date, sendTime: string, timeZone: string, catchupHours: number): string {
  const local = localMoment(now, timeZone);
  const send = parseClock(sendTime);
  const at = `${sendTime} ${timeZone}`;
  if (local.minutes < send) return `today at ${at}`;
  if (local.minutes - send <= catchupHours * 60) return `within a few minutes (today’s edition), then each morning at ${at}`;
  return `tomorrow at ${at}`;
}
