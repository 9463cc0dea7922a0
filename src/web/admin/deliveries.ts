import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../web-context.js';
import { sendAdminPage } from './admin-page.js';

/** The services this route group uses. */
type Ctx = RouteContext<'logger', 'deliveries' | 'leases'>;

/**
 * `/admin/deliveries`: uncertain rows (a send whose sender died mid-SMTP) with their reason, and
 * the same resolve actions as `topic-digest deliveries resolve`, through the same store calls.
 */

const SETTLED_MESSAGES: Record<string, string> = {
  yes: 'Settled.',
  no: 'That delivery was no longer uncertain; nothing changed.',
};

/** Registers the deliveries page and its resolve action (inside the signed-in scope). */
export function registerAdminDeliveries(scope: FastifyInstance, ctx: Ctx): void {
  const { app } = ctx;

  scope.get<{ Querystring: { settled?: string } }>('/admin/deliveries', async (request, reply) => {
    // A crashed sender's rows become uncertain first, as in the CLI.
    await app.store.leases.takeOverDeadOwners('', new Date());
    const rows = await app.store.deliveries.list({ uncertainOnly: true, limit: 500 });
    return sendAdminPage(ctx, reply, request.admin, {
      name: 'admin-deliveries',
      title: 'Uncertain deliveries',
      data: {
        rows: rows.map((r) => ({ ...r, why: r.error ?? r.reason ?? 'the sender stopped while the SMTP server had the message' })),
        settledMessage: SETTLED_MESSAGES[request.query.settled ?? ''],
      },
    });
  });

  scope.post<{ Body: { id?: string; outcome?: string } }>('/admin/deliveries/resolve', { preHandler: ctx.csrfProtection }, async (request, reply) => {
    const { id, outcome } = request.body ?? {};
    if (typeof id !== 'string' || !/^\d{1,15}$/.test(id) || (outcome !== 'delivered' && outcome !== 'not-delivered')) {
      return reply.code(400).type('text/plain; charset=utf-8').send('say which delivery (id) and whether it was delivered or not-delivered');
    }
    await app.store.leases.takeOverDeadOwners('', new Date());
    const settled = await app.store.deliveries.settle([Number(id)], outcome, new Date());
    app.logger.info('delivery resolved from the console', { admin: request.admin, delivery: Number(id), outcome, settled: settled.length });
    return reply.redirect(`/admin/deliveries?settled=${settled.length > 0 ? 'yes' : 'no'}`, 303);
  });
}
