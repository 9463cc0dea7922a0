import type { FastifyInstance, FastifyReply } from 'fastify';
import { addWebhook, findWebhook, listWebhooks, removeWebhook, resendWebhookDelivery } from '../../deliver/webhook-admin.js';
import { WEBHOOK_EVENTS } from '../../deliver/webhook-events.js';
import { isAppError } from '../../errors.js';
import type { RouteContext } from '../web-context.js';
import { sendAdminPage } from './admin-page.js';

/** The services this route group uses. */
type Ctx = RouteContext<'logger' | 'webhookSender', 'webhooks'>;

/**
 * `/admin/webhooks`: outbound endpoints with how they have been doing, add (the secret is shown
 * once, on the page that answers the add, and never again), remove, and each endpoint's delivery
 * log with "Resend". Every rule lives in deliver/webhook-admin.ts, which the CLI uses too.
 */

interface AddForm {
  url?: string;
  events?: string | string[];
}

const DONE_MESSAGES: Record<string, string> = {
  removed: 'Webhook removed, with its delivery log.',
  resent: 'Queued again; the attempt appears below once it is made.',
  busy: 'That delivery is being sent right now; resend it once this attempt has finished, if it failed.',
};

const idOf = (raw: string) => (/^\d{1,15}$/.test(raw) ? Number(raw) : undefined);

/** Registers the webhook pages and actions (inside the signed-in scope). */
export function registerAdminWebhooks(scope: FastifyInstance, ctx: Ctx): void {
  const { app } = ctx;

  const showList = async (reply: FastifyReply, admin: string, extra: { status?: number; errors?: string[]; url?: string; chosen?: string[]; created?: { id: number; url: string; secret: string }; done?: string }) => {
    const hooks = await listWebhooks(app.store);
    return sendAdminPage(ctx, reply, admin, {
      name: 'admin-webhooks',
      title: 'Webhooks',
      status: extra.status ?? 200,
      data: {
        hooks: hooks.map((h) => ({ ...h, state: stateOf(h) })),
        events: WEBHOOK_EVENTS.map((name) => ({ name, checked: extra.chosen?.includes(name) ?? false })),
        url: extra.url ?? '',
        errors: extra.errors ?? [],
        created: extra.created,
        doneMessage: extra.done && DONE_MESSAGES[extra.done],
      },
    });
  };

  scope.get<{ Querystring: { done?: string } }>('/admin/webhooks', async (request, reply) => showList(reply, request.admin, { done: request.query.done }));

  scope.post<{ Body: AddForm }>('/admin/webhooks', { preHandler: ctx.csrfProtection }, async (request, reply) => {
    const body = request.body ?? {};
    const url = typeof body.url === 'string' ? body.url.slice(0, 4000) : '';
    const chosen = (Array.isArray(body.events) ? body.events : [body.events ?? '']).filter((e): e is string => typeof e === 'string' && e !== '');
    try {
      const { webhook, secret } = await addWebhook(app.store, { url, events: chosen }, new Date());
      // The secret is on this one response (no-store) and nowhere else: not the log, not a URL.
      app.logger.info('webhook added from the console', { admin: request.admin, webhook: webhook.id, events: webhook.events });
      return showList(reply, request.admin, { created: { id: webhook.id, url: webhook.url, secret } });
    } catch (err) {
      if (!isAppError(err, 'INPUT_INVALID')) throw err;
      return showList(reply, request.admin, { status: 400, errors: [err.message, ...(err.hint ? [err.hint] : [])], url, chosen });
    }
  });

  scope.post<{ Params: { id: string } }>('/admin/webhooks/:id/remove', { preHandler: ctx.csrfProtection }, async (request, reply) => {
    const id = idOf(request.params.id);
    if (id === undefined || !(await findWebhook(app.store, id))) return reply.callNotFound();
    await removeWebhook(app.store, String(id));
    app.logger.info('webhook removed from the console', { admin: request.admin, webhook: id });
    return reply.redirect('/admin/webhooks?done=removed', 303);
  });

  scope.get<{ Params: { id: string }; Querystring: { done?: string } }>('/admin/webhooks/:id', async (request, reply) => {
    const id = idOf(request.params.id);
    const hook = id === undefined ? undefined : await findWebhook(app.store, id);
    if (!hook) return reply.callNotFound();
    const [deliveries, attempts] = await Promise.all([app.store.webhooks.log(hook.id, 50), app.store.webhooks.attempts(hook.id, 100)]);
    return sendAdminPage(ctx, reply, request.admin, {
      name: 'admin-webhook',
      title: `Webhook ${hook.id}`,
      data: {
        hook: { ...hook, state: stateOf(hook) },
        deliveries: deliveries.map(({ payload: _p, ...d }) => ({ ...d, waiting: d.status === 'pending' })),
        attempts: attempts.map((a) => ({ ...a, result: a.error ?? `${a.httpStatus} OK` })),
        doneMessage: DONE_MESSAGES[request.query.done ?? ''],
      },
    });
  });

  scope.post<{ Params: { id: string; delivery: string } }>('/admin/webhooks/:id/deliveries/:delivery/resend', { preHandler: ctx.csrfProtection }, async (request, reply) => {
    const id = idOf(request.params.id);
    const delivery = idOf(request.params.delivery);
    const found = delivery === undefined ? undefined : await app.store.webhooks.get(delivery);
    if (id === undefined || !found || found.webhookId !== id) return reply.callNotFound();
    try {
      await resendWebhookDelivery(app.store, found.id, new Date(), id);
    } catch (err) {
      // Known and owned, so the only refusal left is "a sender holds it right now".
      if (!isAppError(err, 'INPUT_INVALID')) throw err;
      return reply.redirect(`/admin/webhooks/${id}?done=busy`, 303);
    }
    app.logger.info('webhook delivery resent from the console', { admin: request.admin, webhook: id, delivery });
    app.webhookSender.kick();
    return reply.redirect(`/admin/webhooks/${id}?done=resent`, 303);
  });
}

/** A word for how an endpoint is doing, from its latest attempts. */
function stateOf(h: { lastSuccessAt: string | null; lastFailureAt: string | null; pending: number }): string {
  if (!h.lastSuccessAt && !h.lastFailureAt) return h.pending > 0 ? 'queued' : 'no deliveries yet';
  const failing = h.lastFailureAt !== null && (h.lastSuccessAt === null || h.lastFailureAt > h.lastSuccessAt);
  return failing ? `failing${h.pending > 0 ? `, ${h.pending} waiting to retry` : ''}` : 'working';
}
