import type { FastifyInstance } from 'fastify';
import { messageOf } from '../../errors.js';
import type { WebContext } from '../web-context.js';

/** `GET /healthz`: 200 when the store answers, 503 otherwise; for load balancers and probes. */
export function registerHealthRoutes(server: FastifyInstance, ctx: WebContext): void {
  server.get('/healthz', async (_request, reply) => {
    try {
      await ctx.app.store.topics.count();
      return reply.header('cache-control', 'no-store').send({ status: 'ok' });
    } catch (err) {
      ctx.app.logger.error('health check failed', { error: messageOf(err) });
      return reply.status(503).header('cache-control', 'no-store').send({ status: 'unavailable' });
    }
  });
}
