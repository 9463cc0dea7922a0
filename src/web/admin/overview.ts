import type { FastifyInstance } from 'fastify';
import { localMoment } from '../../plan/local-time.js';
import type { WebContext } from '../web-context.js';
import { barChartSvg, dateRange } from './chart.js';

/**
 * `/admin`: today's run from the ledger, 30 days of sends as a server-drawn SVG chart, and the
 * "pause all sending" switch.
 */

const CHART_DAYS = 30;

/** Registers the overview and the pause/resume actions (inside the signed-in scope). */
export function registerAdminOverview(scope: FastifyInstance, ctx: WebContext): void {
  const { app } = ctx;

  scope.get('/admin', async (request, reply) => {
    // "Today" is the default timezone's date; readers elsewhere may be a day ahead or behind.
    const today = localMoment(new Date(), app.config.digest.timezone).date;
    const dates = dateRange(today, CHART_DAYS);
    const [counts, sends, pause] = await Promise.all([app.store.admin.dayCounts(today), app.store.admin.dailySends(dates[0]!), app.store.admin.pauseState()]);
    const byDate = new Map(sends.map((s) => [s.date, s.sent]));
    const bars = dates.map((date) => ({ label: date, value: byDate.get(date) ?? 0 }));
    const plannedTotal = counts.planned + counts.sending + counts.uncertain + counts.sent + counts.failed;
    return ctx.sendPage(reply, {
      name: 'admin-overview',
      title: 'Overview',
      data: {
        admin: request.admin,
        csrfToken: reply.generateCsrf(),
        today,
        timezone: app.config.digest.timezone,
        counts,
        plannedTotal,
        pause,
        chart: barChartSvg(bars, `Digests sent per day, last ${CHART_DAYS} days`),
        recent: bars.slice(-7).reverse(),
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
