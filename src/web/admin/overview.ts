import type { FastifyInstance } from 'fastify';
import { deliveryStats } from '../../feedback/stats.js';
import { localMoment, type LocalMoment } from '../../plan/local-time.js';
import { nextCronTick, processTimeZone } from '../../schedule/next-tick.js';
import type { RouteContext } from '../web-context.js';
import { barChartSvg } from './chart.js';
import { sendAdminPage } from './admin-page.js';

/** The services this route group uses. */
type Ctx = RouteContext<'config' | 'logger', 'admin' | 'feedback'>;

/**
 * `/admin`: today's run from the ledger, the scheduler's next tick, 30 days of sends, bounces,
 * complaints and unsubscribes as server-drawn SVG charts (with the same figures as a table),
 * followers per topic, and the "pause all sending" switch.
 */

const CHART_DAYS = 30;

/** The four charted series: the field of a stats day, its caption, and the chart's accessible title. */
const SERIES = [
  { id: 'sent', label: 'Digests sent', title: 'Digests sent', value: (d: { sent: number }) => d.sent },
  { id: 'bounces', label: 'Bounces', title: 'Bounces (hard and soft)', value: (d: { hardBounces: number; softBounces: number }) => d.hardBounces + d.softBounces },
  { id: 'complaints', label: 'Complaints', title: 'Complaints', value: (d: { complaints: number }) => d.complaints },
  { id: 'unsubscribes', label: 'Unsubscribes', title: 'Unsubscribes', value: (d: { unsubscribes: number }) => d.unsubscribes },
] as const;

/** Registers the overview and the pause/resume actions (inside the signed-in scope). */
export function registerAdminOverview(scope: FastifyInstance, ctx: Ctx): void {
  const { app } = ctx;

  scope.get('/admin', async (request, reply) => {
    const now = new Date();
    const zone = app.config.digest.timezone;
    // "Today" is the default timezone's date; readers elsewhere may be a day ahead or behind.
    const today = localMoment(now, zone).date;
    const since = new Date(now.getTime() - CHART_DAYS * 86_400_000).toISOString();
    const [counts, stats, growth, pause] = await Promise.all([
      app.store.admin.dayCounts(today),
      deliveryStats(app.store.feedback, CHART_DAYS, now),
      app.store.admin.topicGrowth(since),
      app.store.admin.pauseState(),
    ]);
    const plannedTotal = counts.planned + counts.sending + counts.uncertain + counts.sent + counts.failed;
    const charts = SERIES.map((s) => {
      const bars = stats.map((d) => ({ label: d.day, value: s.value(d) }));
      return { id: s.id, label: s.label, total: bars.reduce((n, b) => n + b.value, 0), svg: barChartSvg(bars, `${s.title} per UTC day, last ${CHART_DAYS} days`, `chart-${s.id}`) };
    });
    return sendAdminPage(ctx, reply, request.admin, {
      name: 'admin-overview',
      title: 'Overview',
      data: {
        today,
        timezone: zone,
        counts,
        plannedTotal,
        pause,
        nextTick: nextTickView(app.config.digest.cron, zone),
        charts,
        days: [...stats].reverse().map((d) => ({ day: d.day, sent: d.sent, bounces: d.hardBounces + d.softBounces, complaints: d.complaints, unsubscribes: d.unsubscribes, warnings: d.warnings.join('; ') })),
        growth: growth.map((g) => ({ ...g, net: g.joined - g.left > 0 ? `+${g.joined - g.left}` : String(g.joined - g.left) })),
      },
    });
  });

  scope.post('/admin/pause', { preHandler: ctx.csrfProtection }, async (request, reply) => {
    await app.store.admin.setPaused(true, request.admin, new Date());
    app.logger.warn('all sending paused from the console', { admin: request.admin });
    return reply.redirect('/admin', 303);
  });

  scope.post('/admin/resume', { preHandler: ctx.csrfProtection }, async (request, reply) => {
    await app.store.admin.setPaused(false, request.admin, new Date());
    app.logger.info('sending resumed from the console', { admin: request.admin });
    return reply.redirect('/admin', 303);
  });
}

/** The next DIGEST_CRON tick in UTC and in DIGEST_TIMEZONE, with the zone the cron is read in. */
function nextTickView(expression: string, zone: string): { iso: string; utc: string; local: string; cron: string; cronZone: string } | null {
  const next = nextCronTick(expression);
  if (!next) return null;
  return { iso: next.toISOString(), utc: wallClock(localMoment(next, 'UTC')), local: wallClock(localMoment(next, zone)), cron: expression, cronZone: processTimeZone() };
}

function wallClock(m: LocalMoment): string {
  return `${m.date} ${String(Math.floor(m.minutes / 60)).padStart(2, '0')}:${String(m.minutes % 60).padStart(2, '0')}`;
}
