import type { FastifyInstance, FastifyReply } from 'fastify';
import { describeChoices } from '../../subscriptions/choices.js';
import { eraseReader, exportReader } from '../../subscriptions/my-data.js';
import { recordConsent } from '../consent-evidence.js';
import type { WebContext } from '../web-context.js';

/**
 * `/admin/subscribers`: search by address or name, a reader's detail (the same record "download
 * my data" gives them), and pause, resume, unsubscribe and erase through the same store calls
 * the preferences page and `subscribers erase` use. Every change is logged with the admin.
 */

const ACTIONS = ['pause', 'resume', 'unsubscribe', 'erase'] as const;
type Action = (typeof ACTIONS)[number];

interface IdParams {
  id: string;
}

/** Registers the subscriber pages and actions (inside the signed-in scope). */
export function registerAdminSubscribers(scope: FastifyInstance, ctx: WebContext): void {
  const { app } = ctx;

  scope.get<{ Querystring: { q?: string } }>('/admin/subscribers', async (request, reply) => {
    const q = typeof request.query.q === 'string' ? request.query.q.trim().slice(0, 200) : '';
    const hits = q === '' ? [] : await app.store.admin.searchSubscribers(q, 50);
    return ctx.sendPage(reply, { name: 'admin-subscribers', title: 'Subscribers', data: { admin: request.admin, csrfToken: reply.generateCsrf(), q, searched: q !== '', hits } });
  });

  const findReader = async (id: string) => (/^\d{1,15}$/.test(id) ? app.store.subscribers.findById(Number(id)) : undefined);
  const notFound = (reply: FastifyReply) => reply.callNotFound();

  scope.get<{ Params: IdParams; Querystring: { done?: string } }>('/admin/subscribers/:id', async (request, reply) => {
    const s = await findReader(request.params.id);
    if (!s || isErased(s.email)) return notFound(reply);
    const record = await exportReader(app.store, app.links, s);
    return ctx.sendPage(reply, {
      name: 'admin-subscriber',
      title: s.name ? `${s.name} (${s.email})` : s.email,
      data: {
        admin: request.admin,
        csrfToken: reply.generateCsrf(),
        s,
        record,
        choices: describeChoices(s, app.config.digest.sendTime),
        canPause: s.status === 'active' && !s.paused,
        canResume: s.status === 'active' && s.paused,
        canUnsubscribe: s.status === 'active' || s.status === 'pending',
        done: request.query.done && (ACTIONS as readonly string[]).includes(request.query.done) ? `Done: ${request.query.done}.` : undefined,
      },
    });
  });

  scope.post<{ Params: IdParams & { action: string } }>('/admin/subscribers/:id/:action', { preHandler: ctx.csrfProtection }, async (request, reply) => {
    const action = request.params.action as Action;
    const s = await findReader(request.params.id);
    if (!s || isErased(s.email) || !ACTIONS.includes(action)) return notFound(reply);
    const now = new Date().toISOString();
    const evidence = { subscriberId: s.id, source: 'console', details: { admin: request.admin } };
    if (action === 'erase') {
      await eraseReader(app.store, app.secretKey, s, `console:${request.admin}`);
      app.logger.info('reader erased from the console', { admin: request.admin, subscriber: s.id });
      return reply.redirect('/admin/subscribers?erased=1', 303);
    }
    await app.store.transaction(async (tx) => {
      if (action === 'unsubscribe') {
        // Bounced stays bounced, as on the reader's own unsubscribe page.
        if (s.status !== 'active' && s.status !== 'pending') return;
        await tx.subscribers.setStatus(s.id, 'unsubscribed', now);
        await recordConsent(tx, request, app, { ...evidence, action: 'unsubscribe' });
      } else {
        await tx.subscribers.updateProfile(s.id, { paused: action === 'pause' }, now);
        await recordConsent(tx, request, app, { ...evidence, action: 'change', details: { admin: request.admin, paused: action === 'pause' } });
      }
    });
    app.logger.info('reader changed from the console', { admin: request.admin, subscriber: s.id, action });
    return reply.redirect(`/admin/subscribers/${s.id}?done=${action}`, 303);
  });
}

// Erasure leaves a stub row (for the ledger) whose address is replaced by `erased:<hash>`.
function isErased(email: string): boolean {
  return email.startsWith('erased:');
}
