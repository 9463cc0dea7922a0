import type { FastifyInstance } from 'fastify';
import { messageOf } from '../../errors.js';
import type { RouteContext } from '../web-context.js';

/** The services this route group uses. */
type Ctx = RouteContext<'logger' | 'mailQueue'>;

/**
 * `GET /healthz`: 200 when the store answers, 503 otherwise; for load balancers and probes. It
 * also reports the transactional mail queue (depth, oldest age in seconds, uncertain), so a
 * stalled relay shows up before readers complain that their confirmation never came.
 */
export function registerHealthRoutes(server: FastifyInstance, ctx: Ctx): void {
  server.get('/healthz', async (_request, reply) => {
    try {
      const mailQueue = await ctx.app.mailQueue.health();
      return reply.header('cache-control', 'no-store').send({ status: 'ok', mailQueue });
    } catch (err) {
      ctx.app.logger.error('health check failed', { error: messageOf(err) });
      return reply.status(503).header('cache-control', 'no-store').send({ status: 'unavailable' });
    }
  });
}
