import type { FastifyInstance, FastifyReply } from 'fastify';
import type { PollReport } from '../../ingest/poll-sources.js';
import type { RouteContext } from '../web-context.js';
import { sendAdminPage } from './admin-page.js';

/** The services this route group uses. */
type Ctx = RouteContext<'logger' | 'pollSources', 'sources'>;

/**
 * `/admin/sources`: each polled source's last status, error, items and next due time, with
 * "Poll now", which runs the same poll as `sources poll` for that one source.
 */

/** Registers the sources page and its poll action (inside the signed-in scope). */
export function registerAdminSources(scope: FastifyInstance, ctx: Ctx): void {
  const { app } = ctx;

  const show = async (reply: FastifyReply, admin: string, report?: PollReport) => {
    const sources = await app.store.sources.list();
    return sendAdminPage(ctx, reply, admin, {
      name: 'admin-sources',
      title: 'Sources',
      data: {
        sources: sources.map((s) => ({ ...s, label: s.name ?? s.url, failing: s.failures > 0 })),
        report: report && { ...report, ok: report.error === null },
      },
    });
  };

  scope.get('/admin/sources', async (request, reply) => show(reply, request.admin));

  scope.post<{ Params: { id: string } }>('/admin/sources/:id/poll', { preHandler: ctx.csrfProtection }, async (request, reply) => {
    const id = /^\d{1,15}$/.test(request.params.id) ? Number(request.params.id) : undefined;
    const [report] = id === undefined ? [] : await app.pollSources({ onlyId: id });
    if (!report) return reply.callNotFound();
    app.logger.info('source polled from the console', { admin: request.admin, source: id, status: report.status });
    return show(reply, request.admin, report);
  });
}
