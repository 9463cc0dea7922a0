import type { Logger } from '../logger.js';
import type { FeedbackDay, FeedbackRepository } from '../store/feedback-repository.js';

/** Above these a sender risks suspension: SES reviews at 5% bounces, Gmail enforces 0.3% complaints. */
export const BOUNCE_RATE_WARNING = 0.02;
export const COMPLAINT_RATE_WARNING = 0.001;

/** One day of figures with its rates (0–1; 0 when nothing was sent) and what passed a threshold. */
export interface DeliveryStatsDay extends FeedbackDay {
  bounceRate: number;
  complaintRate: number;
  warnings: string[];
}

/** The last `days` UTC days (today included), each listed even when nothing happened. */
export async function deliveryStats(repo: FeedbackRepository, days: number, now: Date): Promise<DeliveryStatsDay[]> {
  const first = new Date(now.getTime() - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  const found = new Map((await repo.daily(first)).map((d) => [d.day, d]));
  const out: DeliveryStatsDay[] = [];
  for (let i = days - 1; i >= 0; i--) {
    const day = new Date(now.getTime() - i * 86_400_000).toISOString().slice(0, 10);
    const d = found.get(day) ?? { day, sent: 0, hardBounces: 0, softBounces: 0, complaints: 0, unsubscribes: 0 };
    const bounceRate = d.sent > 0 ? (d.hardBounces + d.softBounces) / d.sent : 0;
    const complaintRate = d.sent > 0 ? d.complaints / d.sent : 0;
    const warnings: string[] = [];
    if (bounceRate > BOUNCE_RATE_WARNING) warnings.push(`bounce rate ${(bounceRate * 100).toFixed(2)}% is over ${BOUNCE_RATE_WARNING * 100}%`);
    if (complaintRate > COMPLAINT_RATE_WARNING) warnings.push(`complaint rate ${(complaintRate * 100).toFixed(2)}% is over ${COMPLAINT_RATE_WARNING * 100}%`);
    out.push({ ...d, bounceRate, complaintRate, warnings });
  }
  return out;
}

/** Logs a warning for each day over a threshold: the operator must act before a provider does. */
export function warnOnRates(logger: Logger, days: DeliveryStatsDay[]): void {
  for (const d of days) {
    if (d.warnings.length > 0) logger.warn(`sending reputation at risk on ${d.day}: ${d.warnings.join('; ')}`, { day: d.day, sent: d.sent, bounces: d.hardBounces + d.softBounces, complaints: d.complaints });
  }
}

/**
 * Checks the last two days' rates after reports were recorded and warns once per day and
 * threshold per process, so a bad morning shows up in the log as it happens, not only when
 * someone runs `deliveries stats`.
 */
export function createRateWatch(repo: FeedbackRepository, logger: Logger): () => Promise<void> {
  const warned = new Set<string>();
  return async () => {
    const days = await deliveryStats(repo, 2, new Date());
    const fresh = days
      .map((d) => ({ ...d, warnings: d.warnings.filter((w) => !warned.has(`${d.day}|${w.split(' ')[0]}`)) }))
      .filter((d) => d.warnings.length > 0);
    for (const d of fresh) for (const w of d.warnings) warned.add(`${d.day}|${w.split(' ')[0]}`);
    warnOnRates(logger, fresh);
  };
}
