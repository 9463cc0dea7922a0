import type { FastifyError, FastifyInstance } from 'fastify';
import { isAppError, messageOf } from '../../errors.js';
import { InvalidItemsError } from '../../ingest/content-limits.js';
import { loadImportTools, prepareArticles, writeArticles } from '../../ingest/import-articles.js';
import { checkItems } from '../../ingest/json-articles.js';
import { apiErrors, requireScope } from '../api/api-auth.js';
import { openApiDocument } from '../api/openapi.js';
import type { RouteContext } from '../web-context.js';

/**
 * The push API under /api/v1: a CMS creates, updates and withdraws stories with a scoped bearer
 * token. Every answer is JSON, errors included, and a push is stored whole or not at all.
 */
export async function registerApiRoutes(server: FastifyInstance, ctx: RouteContext<'config' | 'logger', 'apiTokens' | 'topics' | 'transaction'>): Promise<void> {
  const { store, config } = ctx.app;
  const write = requireScope(store, 'articles:write', config.api.ratePerMinute);
  const document = openApiDocument(config.web.publicUrl, config.api);

  await server.register(
    async (api) => {
      api.setErrorHandler((err: FastifyError, request, reply) => {
        const status = err.statusCode ?? 500;
        if (status === 413) return apiErrors(reply, 413, `the body is over API_MAX_BODY_BYTES (${config.api.maxBodyBytes} bytes)`);
        if (status >= 400 && status < 500) return apiErrors(reply, status, err.message);
        ctx.app.logger.error('api request failed', { method: request.method, url: request.routeOptions.url, error: messageOf(err) });
        return apiErrors(reply, 500, 'internal error; nothing was stored');
      });
      api.setNotFoundHandler((_request, reply) => apiErrors(reply, 404, 'no such API endpoint; see /api/v1/openapi.json'));

      api.get('/openapi.json', async (_request, reply) => reply.header('cache-control', 'public, max-age=300').send(document));

      api.post('/articles', { onRequest: write, bodyLimit: config.api.maxBodyBytes }, async (request, reply) => {
        if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(request.headers['content-type'] ?? '')) {
          return apiErrors(reply, 415, 'send Content-Type: application/json');
        }
        const body = request.body as unknown;
        // The shapes `articles import` reads: one article, an array, or {"articles": [...]}.
        const wrapped = body !== null && typeof body === 'object' && !Array.isArray(body) && Array.isArray((body as { articles?: unknown }).articles);
        const values = Array.isArray(body) ? body : wrapped ? (body as { articles: unknown[] }).articles : [body];
        if (values.length === 0) return apiErrors(reply, 400, 'send one article object or a non-empty array of them');
        const { parsed, issues } = checkItems(values.map((value, i) => ({ value, where: `item index ${i}` })));
        if (issues.length > 0) return reply.status(400).send({ errors: issues.map(({ index, field, message }) => ({ index, field, message })) });
        try {
          const tools = await loadImportTools(store);
          const { articles, warnings } = prepareArticles(parsed, 'request', tools, { publicUrl: config.web.publicUrl });
          const { inserted, updated, ids } = await store.transaction((tx) => writeArticles(tx, articles, new Date().toISOString()));
          return reply.header('cache-control', 'no-store').send({ inserted, updated, ids, ...(warnings.length ? { warnings } : {}) });
        } catch (err) {
          if (err instanceof InvalidItemsError) {
            const indexOf = (where: string) => Number(/(\d+)$/.exec(where)?.[1] ?? NaN);
            return reply.status(400).send({ errors: err.problems.map((p) => ({ index: indexOf(p.where), field: p.field, message: p.message })) });
          }
          if (isAppError(err, 'INPUT_INVALID')) return apiErrors(reply, 400, err.message);
          throw err;
        }
      });

      api.delete<{ Params: { id: string } }>('/articles/:id', { onRequest: write }, async (request, reply) => {
        const id = /^\d{1,15}$/.test(request.params.id) ? Number(request.params.id) : NaN;
        if (!Number.isSafeInteger(id)) return apiErrors(reply, 404, 'no such story', 'id');
        const now = new Date().toISOString();
        const { found, replanned } = await store.transaction((tx) => tx.articles.withdraw(id, now));
        if (!found) return apiErrors(reply, 404, 'no such story', 'id');
        return reply.header('cache-control', 'no-store').send({ id, withdrawn: true, replanned });
      });
    },
    { prefix: '/api/v1' },
  );
}
