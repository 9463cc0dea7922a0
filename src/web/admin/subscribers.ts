import type { FastifyInstance, FastifyReply } from 'fastify';
import { canUnsubscribe } from '../../subscriptions/changes.js';
import { describeChoices } from '../../subscriptions/choices.js';
import { webOrigin } from '../consent-evidence.js';
import type { RouteContext } from '../web-context.js';
import { sendAdminPage } from './admin-page.js';

/** The services this route group uses. */
type Ctx = RouteContext<'config' | 'logger' | 'subscriptions', 'admin'>;

/**
 * `/admin/subscribers`: search by address or name, a reader's detail (the same record "download
 * my data" gives them), and pause, resume, unsubscribe and erase through the subscription service,
 * as the reader's own pages and `subscribers erase` do. Every change is recorded with the admin.
 */

const ACTIONS = ['pause', 'resume', 'unsubscribe', 'erase'] as const;
type Action = (typeof ACTIONS)[number];

interface IdParams {
  id: string;
}

/** Registers the subscriber pages and actions (inside the signed-in scope). */
export function registerAdminSubscribers(scope: FastifyInstance, ctx: Ctx): void {
  const { app } = ctx;
  const { subscriptions } = app;

  scope.get<{ Querystring: { q?: string } }>('/admin/subscribers', async (request, reply) => {
    const q = typeof request.query.q === 'string' ? request.query.q.trim().slice(0, 200) : '';
    const hits = q === '' ? [] : await app.store.admin.searchSubscribers(q, 50);
    return sendAdminPage(ctx, reply, request.admin, { name: 'admin-subscribers', title: 'Subscribers', data: { q, searched: q !== '', hits } });
  });

  // The service leaves erased readers out: their stub row is for the ledger, not for the console.
  const findReader = async (id: string) => (/^\d{1,15}$/.test(id) ? subscriptions.findById(Number(id)) : undefined);
  const notFound = (reply: FastifyReply) => reply.callNotFound();

  scope.get<{ Params: IdParams; Querystring: { done?: string } }>('/admin/subscribers/:id', async (request, reply) => {
    const s = await findReader(request.params.id);
    if (!s) return notFound(reply);
    const record = await subscriptions.exportData(s);
    return sendAdminPage(ctx, reply, request.admin, {
      name: 'admin-subscriber',
      title: s.name ? `${s.name} (${s.email})` : s.email,
      data: {
        s,
        record,
        choices: describeChoices(s, app.config.digest.sendTime),
        canPause: s.status === 'active' && !s.paused,
        canResume: s.status === 'active' && s.paused,
        canUnsubscribe: canUnsubscribe(s),
        done: request.query.done && (ACTIONS as readonly string[]).includes(request.query.done) ? `Done: ${request.query.done}.` : undefined,
      },
    });
  });

  scope.post<{ Params: IdParams & { action: string } }>('/admin/subscribers/:id/:action', { preHandler: ctx.csrfProtection }, async (request, reply) => {
    const action = request.params.action as Action;
    const s = await findReader(request.params.id);
    if (!s || !ACTIONS.includes(action)) return notFound(reply);
    if (action === 'erase') {
      await subscriptions.erase(s, `console:${request.admin}`);
      return reply.redirect('/admin/subscribers?erased=1', 303);
    }
    const origin = webOrigin(request, 'console', { admin: request.admin });
    if (action === 'unsubscribe') await subscriptions.unsubscribe(s, origin);
    else await subscriptions.setPaused(s, action === 'pause', origin);
    app.logger.info('reader changed from the console', { admin: request.admin, subscriber: s.id, action });
    return reply.redirect(`/admin/subscribers/${s.id}?done=${action}`, 303);
  });
}
