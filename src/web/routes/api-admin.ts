import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import type { z } from 'zod';
import { isAppError, messageOf } from '../../errors.js';
import { deliveryStats } from '../../feedback/stats.js';
import type { Subscriber } from '../../model/subscriber.js';
import { subscriberCreateSchema, subscriberListQuerySchema, subscriberPatchSchema } from '../api/admin-schemas.js';
import { apiErrors, requireScope } from '../api/api-auth.js';
import type { RouteContext } from '../web-context.js';

/** The services this route group uses. */
type Ctx = RouteContext<'config' | 'logger' | 'subscriptions', 'apiTokens' | 'editions' | 'feedback' | 'subscribers' | 'topics'>;

/** A reader as the API shows them (see `subscriberSchema`): the public id, never the row id or signing key. */
function view(s: Subscriber) {
  return { id: s.publicId, email: s.email, name: s.name, status: s.status, timezone: s.timezone, topics: s.topics, paused: s.paused, frequency: s.frequency, createdAt: s.createdAt, confirmedAt: s.confirmedAt };
}

/** Parses a body (or query) with a schema; on failure answers 400 naming each field, and returns undefined. */
function parseBody<S extends z.ZodType>(schema: S, body: unknown, reply: FastifyReply): z.infer<S> | undefined {
  const r = schema.safeParse(body ?? {});
  if (r.success) return r.data;
  void reply.status(400).header('cache-control', 'no-store').send({ errors: r.error.issues.map((i) => ({ index: null, field: i.path.join('.'), message: i.message })) });
  return undefined;
}

/**
 * A page cursor: the last row's id, versioned and base64url-wrapped so clients treat it as opaque
 * (its form may change). It only says where a token holder who can read every reader left off.
 */
function makeCursor(id: number): string {
  return Buffer.from(`s1:${id}`).toString('base64url');
}

/** The id a cursor from {@link makeCursor} holds, or undefined for anything else. */
function readCursor(cursor: string): number | undefined {
  const m = /^s1:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : undefined;
}

/** The entries whose value is set, for a query string. */
function pickDefined(o: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).filter((e): e is [string, string] => e[1] !== undefined));
}

/**
 * The admin API under /api/v1: subscribers (read, write, export), delivery statistics and
 * editions, each behind its scope. Every change to a reader goes through the subscription
 * service, so the API, the CLI, the console and the pages agree on every rule; double opt-in
 * sends the same confirmation the form does.
 */
export async function registerAdminApiRoutes(server: FastifyInstance, ctx: Ctx): Promise<void> {
  const { app } = ctx;
  const { store, config, subscriptions } = app;
  const scope = (s: Parameters<typeof requireScope>[1]) => requireScope(store, s, config.api.ratePerMinute);
  const read = scope('subscribers:read');
  const write = scope('subscribers:write');
  const stats = scope('stats:read');
  const json = (reply: FastifyReply, body: unknown, status = 200) => reply.status(status).header('cache-control', 'no-store').send(body);
  // The service leaves erased readers out: their stub row is for the ledger; to the API they are gone.
  const find = (id: string) => subscriptions.findByPublicId(id);

  await server.register(
    async (api) => {
      api.setErrorHandler((err: FastifyError, request, reply) => {
        if (isAppError(err, 'SUBSCRIBER_INVALID')) return apiErrors(reply, /unsubscribed|bounced|suppression/.test(err.message) ? 409 : 400, err.message);
        const status = err.statusCode ?? 500;
        if (status >= 400 && status < 500) return apiErrors(reply, status, err.message);
        app.logger.error('admin api request failed', { method: request.method, url: request.routeOptions.url, error: messageOf(err) });
        return apiErrors(reply, 500, 'internal error');
      });

      api.get<{ Querystring: Record<string, unknown> }>('/subscribers', { onRequest: read }, async (request, reply) => {
        if ('offset' in request.query) return apiErrors(reply, 400, 'offset paging is replaced by cursors: follow `next` from the previous page', 'offset');
        const q = parseBody(subscriberListQuerySchema, request.query, reply);
        if (!q) return reply;
        const afterId = q.cursor === undefined ? 0 : readCursor(q.cursor);
        if (afterId === undefined) return apiErrors(reply, 400, 'the cursor is not one this API gave out; start again without it', 'cursor');
        if (q.topic && !(await store.topics.list()).some((t) => t.slug === q.topic)) return apiErrors(reply, 404, `no topic ${q.topic}`, 'topic');
        // One row more than asked says whether there is a next page without a count.
        const rows = await store.subscribers.page({ status: q.status, topic: q.topic, email: q.email, query: q.q }, afterId, q.limit + 1);
        const page = rows.slice(0, q.limit);
        const next = rows.length > q.limit ? makeCursor(page.at(-1)!.id) : null;
        const nextUrl = next && `/api/v1/subscribers?${new URLSearchParams({ ...pickDefined({ status: q.status, topic: q.topic, q: q.q, email: q.email }), limit: String(q.limit), cursor: next })}`;
        if (nextUrl) reply.header('link', `<${config.web.publicUrl}${nextUrl}>; rel="next"`);
        return json(reply, { subscribers: page.map(view), next, nextUrl });
      });

      api.get<{ Params: { id: string } }>('/subscribers/:id', { onRequest: read }, async (request, reply) => {
        const s = await find(request.params.id);
        return s ? json(reply, view(s)) : apiErrors(reply, 404, 'no such subscriber', 'id');
      });

      api.get<{ Params: { id: string } }>('/subscribers/:id/export', { onRequest: read }, async (request, reply) => {
        const s = await find(request.params.id);
        return s ? json(reply, await subscriptions.exportData(s)) : apiErrors(reply, 404, 'no such subscriber', 'id');
      });

      api.post('/subscribers', { onRequest: write }, async (request, reply) => {
        const body = parseBody(subscriberCreateSchema, request.body, reply);
        if (!body) return reply;
        const { doubleOptIn, ...input } = body;
        const { subscriber, outcome } = await subscriptions.add(input, { status: doubleOptIn ? 'pending' : 'active', origin: { source: 'api' }, sendConfirmation: true });
        return json(reply, view(subscriber), outcome === 'added' ? 201 : 200);
      });

      api.patch<{ Params: { id: string } }>('/subscribers/:id', { onRequest: write }, async (request, reply) => {
        const found = await find(request.params.id);
        if (!found) return apiErrors(reply, 404, 'no such subscriber', 'id');
        const body = parseBody(subscriberPatchSchema, request.body, reply);
        if (!body) return reply;
        const { subscriber } = await subscriptions.update(found, body, { source: 'api' });
        return json(reply, view(subscriber));
      });

      api.delete<{ Params: { id: string } }>('/subscribers/:id', { onRequest: write }, async (request, reply) => {
        const s = await find(request.params.id);
        if (!s) return apiErrors(reply, 404, 'no such subscriber', 'id');
        // Erasure, as "erase my data" does: the profile goes, the ledger keeps only a hash.
        await subscriptions.erase(s, 'api');
        return json(reply, { id: s.publicId, erased: true });
      });

      api.get<{ Querystring: { days?: string } }>('/stats', { onRequest: stats }, async (request, reply) => {
        const days = Number(request.query.days ?? 30);
        if (!Number.isInteger(days) || days < 1 || days > 3660) return apiErrors(reply, 400, 'days must be a whole number from 1 to 3660', 'days');
        return json(reply, { days: await deliveryStats(store.feedback, days, new Date()) });
      });

      api.get<{ Querystring: { limit?: string; offset?: string } }>('/editions', { onRequest: stats }, async (request, reply) => {
        const limit = Math.min(500, Math.max(1, Number(request.query.limit ?? 100) || 100));
        const offset = Math.max(0, Number(request.query.offset ?? 0) || 0);
        return json(reply, { editions: await store.editions.listSent(limit, offset) });
      });

      api.get<{ Params: { key: string } }>('/editions/:key', { onRequest: stats }, async (request, reply) => {
        const e = await store.editions.get(request.params.key);
        return e ? json(reply, e) : apiErrors(reply, 404, 'no such edition', 'key');
      });
    },
    { prefix: '/api/v1' },
  );
}
