import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Frequency, ReaderChoices, Subscriber } from '../../model/subscriber.js';
import { describeChoices } from '../../subscriptions/choices.js';
import { eraseReader, exportReader } from '../../subscriptions/my-data.js';
import { recordConsent } from '../consent-evidence.js';
import { lookupSubscriberToken } from '../subscriber-token.js';
import { sendBadLinkPage, type WebContext } from '../web-context.js';

/**
 * Under a reader's preferences link: "Download my data" (a JSON file), "Delete me" (a confirm
 * page, then erasure) and the digest footer's one-click "Switch to weekly / daily". Every GET
 * only shows; changes are POSTs behind CSRF protection, so a mail scanner following links changes
 * nothing.
 */

interface TokenParams {
  token: string;
}

/** The frequency a switch link may ask for. */
type SwitchTarget = Extract<Frequency, 'daily' | 'weekly'>;

function switchTarget(value: unknown): SwitchTarget | undefined {
  return value === 'daily' || value === 'weekly' ? value : undefined;
}

/** The choices after switching: a weekly reader keeps their day if they had one, else Monday. */
function switched(s: Subscriber, to: SwitchTarget): ReaderChoices {
  return { frequency: to, weekday: to === 'weekly' ? (s.weekday ?? 'monday') : null, sendTime: s.sendTime };
}

/** Registers the data, delete and switch routes. */
export function registerMyDataRoutes(server: FastifyInstance, ctx: WebContext): void {
  const { app } = ctx;

  const load = async (request: FastifyRequest<{ Params: TokenParams }>, reply: FastifyReply): Promise<Subscriber | undefined> => {
    const found = await lookupSubscriberToken(app.store, app.secretKey, request.params.token, 'preferences');
    if (found.ok) return found.subscriber;
    await sendBadLinkPage(ctx, reply, 'This link is not valid. Use the link in your most recent digest.', found.reason === 'expired' ? 410 : 400);
    return undefined;
  };
  const base = (token: string) => `/preferences/${encodeURIComponent(token)}`;

  server.get<{ Params: TokenParams }>('/preferences/:token/data', async (request, reply) => {
    const s = await load(request, reply);
    if (!s) return reply;
    const data = await exportReader(app.store, app.links, s);
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', 'attachment; filename="my-digest-data.json"')
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(data, null, 2));
  });

  server.get<{ Params: TokenParams }>('/preferences/:token/delete', async (request, reply) => {
    const s = await load(request, reply);
    if (!s) return reply;
    return ctx.sendPage(reply, { name: 'delete-confirm', title: 'Delete your data', data: { csrfToken: reply.generateCsrf(), email: s.email, path: `${base(request.params.token)}/delete`, preferencesPath: base(request.params.token) } });
  });

  server.post<{ Params: TokenParams }>('/preferences/:token/delete', { preHandler: ctx.csrfProtection }, async (request, reply) => {
    const s = await load(request, reply);
    if (!s) return reply;
    await eraseReader(app.store, app.secretKey, s, 'web:preferences');
    app.logger.info('reader erased on request', { subscriber: s.id });
    return ctx.sendPage(reply, { name: 'deleted', title: 'Your data is deleted', data: {} });
  });

  // The public archive fills personal links with the signup page, so an archived digest's switch
  // link points here; send the visitor to the signup page instead of a 404.
  server.get('/switch', async (_request, reply) => reply.redirect('/', 303));

  server.get<{ Params: TokenParams; Querystring: { to?: string } }>('/preferences/:token/switch', async (request, reply) => {
    const s = await load(request, reply);
    if (!s) return reply;
    const to = switchTarget(request.query.to);
    if (!to || s.status !== 'active') return reply.redirect(base(request.params.token), 303);
    const next = switched(s, to);
    return ctx.sendPage(reply, {
      name: 'switch-frequency',
      title: `Switch to the ${to} digest`,
      data: { csrfToken: reply.generateCsrf(), path: `${base(request.params.token)}/switch?to=${to}`, to, schedule: describeChoices(next, app.config.digest.sendTime), current: describeChoices(s, app.config.digest.sendTime), preferencesPath: base(request.params.token) },
    });
  });

  server.post<{ Params: TokenParams; Querystring: { to?: string } }>('/preferences/:token/switch', { preHandler: ctx.csrfProtection }, async (request, reply) => {
    const s = await load(request, reply);
    if (!s) return reply;
    const to = switchTarget(request.query.to);
    if (!to || s.status !== 'active') return reply.redirect(base(request.params.token), 303);
    const next = switched(s, to);
    await app.store.transaction(async (tx) => {
      await tx.subscribers.setChoices(s.id, next, new Date().toISOString());
      await recordConsent(tx, request, app, { subscriberId: s.id, action: 'change', source: 'web:switch-link', details: { ...next } });
    });
    return ctx.sendPage(reply, { name: 'switch-frequency', title: 'Saved', data: { done: true, schedule: describeChoices(next, app.config.digest.sendTime), preferencesPath: base(request.params.token) } });
  });
}
