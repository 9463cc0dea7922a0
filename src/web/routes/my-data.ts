import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import type { Subscriber } from '../../model/subscriber.js';
import { describeChoices } from '../../subscriptions/choices.js';
import type { SubscriptionService, SwitchTarget } from '../../subscriptions/service.js';
import { webOrigin } from '../consent-evidence.js';
import { sendBadLinkPage, type PageKit } from '../web-context.js';

/**
 * Under a reader's preferences link: "Download my data" (a JSON file), "Delete me" (a confirm
 * page, then erasure) and the digest footer's one-click "Switch to weekly / daily". Every GET
 * only shows; changes are POSTs behind CSRF protection, so a mail scanner following links changes
 * nothing.
 */

/** What the data, delete and switch pages use. */
export interface MyDataRouteDeps {
  subscriptions: Pick<SubscriptionService, 'readLink' | 'exportData' | 'erase' | 'switchedChoices' | 'switchFrequency'>;
  digest: Pick<Config['digest'], 'sendTime'>;
}

interface TokenParams {
  token: string;
}

function switchTarget(value: unknown): SwitchTarget | undefined {
  return value === 'daily' || value === 'weekly' ? value : undefined;
}

/** Registers the data, delete and switch routes. */
export function registerMyDataRoutes(server: FastifyInstance, ctx: PageKit, deps: MyDataRouteDeps): void {
  const { subscriptions } = deps;
  const sendTime = deps.digest.sendTime;

  const load = async (request: FastifyRequest<{ Params: TokenParams }>, reply: FastifyReply): Promise<Subscriber | undefined> => {
    const found = await subscriptions.readLink(request.params.token, 'preferences');
    if (found.ok) return found.subscriber;
    await sendBadLinkPage(ctx, reply, 'This link is not valid. Use the link in your most recent digest.', found.reason === 'expired' ? 410 : 400);
    return undefined;
  };
  const base = (token: string) => `/preferences/${encodeURIComponent(token)}`;

  server.get<{ Params: TokenParams }>('/preferences/:token/data', async (request, reply) => {
    const s = await load(request, reply);
    if (!s) return reply;
    const data = await subscriptions.exportData(s);
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
    await subscriptions.erase(s, 'web:preferences');
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
    const next = subscriptions.switchedChoices(s, to);
    return ctx.sendPage(reply, {
      name: 'switch-frequency',
      title: `Switch to the ${to} digest`,
      data: { csrfToken: reply.generateCsrf(), path: `${base(request.params.token)}/switch?to=${to}`, to, schedule: describeChoices(next, sendTime), current: describeChoices(s, sendTime), preferencesPath: base(request.params.token) },
    });
  });

  server.post<{ Params: TokenParams; Querystring: { to?: string } }>('/preferences/:token/switch', { preHandler: ctx.csrfProtection }, async (request, reply) => {
    const s = await load(request, reply);
    if (!s) return reply;
    const to = switchTarget(request.query.to);
    if (!to || s.status !== 'active') return reply.redirect(base(request.params.token), 303);
    const next = await subscriptions.switchFrequency(s, to, webOrigin(request, 'web:switch-link'));
    return ctx.sendPage(reply, { name: 'switch-frequency', title: 'Saved', data: { done: true, schedule: describeChoices(next, sendTime), preferencesPath: base(request.params.token) } });
  });
}
