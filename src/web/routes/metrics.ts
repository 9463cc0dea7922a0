import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { messageOf } from '../../errors.js';
import type { RouteContext } from '../web-context.js';

/** The services this route group uses. */
type Ctx = RouteContext<'config' | 'logger' | 'metrics'>;

/** Compares in constant time; hashing first makes the lengths equal, so length leaks nothing either. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * `GET /metrics`: Prometheus text for scrapers, behind METRICS_TOKEN as a bearer token; without
 * the variable the route does not exist (404). Every response is counted by route pattern and
 * status, never by raw URL: personal links carry tokens, and each would be a new series.
 */
export function registerMetricsRoutes(server: FastifyInstance, ctx: Ctx): void {
  const { metrics, config } = ctx.app;
  server.addHook('onResponse', async (request, reply) => {
    // Unmatched URLs share one label, so probing random paths cannot grow the series without bound.
    metrics.countRequest(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode);
  });
  const token = config.metricsToken;
  if (!token) return;
  server.get('/metrics', async (request, reply) => {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    if (!m || !sameSecret(m[1]!, token)) {
      return reply.status(401).header('www-authenticate', 'Bearer realm="metrics"').header('cache-control', 'no-store').send({ error: 'send Authorization: Bearer <METRICS_TOKEN>' });
    }
    try {
      const body = await metrics.scrape();
      return reply.header('cache-control', 'no-store').type(metrics.registry.contentType).send(body);
    } catch (err) {
      ctx.app.logger.error('metrics scrape failed', { error: messageOf(err) });
      return reply.status(503).header('cache-control', 'no-store').send({ error: 'the store did not answer' });
    }
  });
}
