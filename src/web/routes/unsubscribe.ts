import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SubscriptionService } from '../../subscriptions/service.js';
import { webOrigin } from '../consent-evidence.js';
import { isOneClickBody } from '../one-click.js';
import { pathOf, sendBadLinkPage, type PageKit } from '../web-context.js';
import { digestName } from '../../plan/cadence.js';

/**
 * `/unsubscribe/:token`, the URL every digest carries in List-Unsubscribe. GET only shows a
 * button, because link scanners follow GETs. POST from that page (with CSRF) unsubscribes, and so
 * does the RFC 8058 one-click POST, which carries no cookie and no CSRF token: the signed token in
 * the URL is its authority. Unsubscribe tokens never expire.
 */

/** What the unsubscribe pages use. */
export interface UnsubscribeRouteDeps {
  subscriptions: Pick<SubscriptionService, 'readLink' | 'linksFor' | 'unsubscribe'>;
}

interface TokenParams {
  token: string;
}

/** Registers the unsubscribe routes. */
export function registerUnsubscribeRoutes(server: FastifyInstance, ctx: PageKit, deps: UnsubscribeRouteDeps): void {
  const { subscriptions } = deps;
  const invalidPage = (reply: FastifyReply) =>
    sendBadLinkPage(ctx, reply, 'This unsubscribe link is not valid. It may have been copied incompletely; try the link at the bottom of your latest digest.');

  const donePage = (reply: FastifyReply, email: string) => ctx.sendPage(reply, { name: 'unsubscribed', title: 'You are unsubscribed', data: { email } });

  server.get<{ Params: TokenParams }>('/unsubscribe/:token', async (request, reply) => {
    const { token } = request.params;
    const found = await subscriptions.readLink(token, 'unsubscribe');
    if (!found.ok) return invalidPage(reply);
    const s = found.subscriber;
    if (s.status === 'unsubscribed') return donePage(reply, s.email);
    return ctx.sendPage(reply, {
      name: 'unsubscribe',
      title: 'Unsubscribe',
      data: {
        csrfToken: reply.generateCsrf(),
        email: s.email,
        digestName: digestName(s.frequency),
        path: `/unsubscribe/${encodeURIComponent(token)}`,
        preferencesPath: pathOf(subscriptions.linksFor(s).preferencesUrl),
      },
    });
  });

  // One-click requests skip CSRF by design (RFC 8058 §3.2); every other POST needs it.
  const csrfUnlessOneClick = (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) =>
    isOneClickBody(request.body) ? done() : ctx.csrfProtection(request, reply, done);

  server.post<{ Params: TokenParams }>('/unsubscribe/:token', { preHandler: csrfUnlessOneClick }, async (request, reply) => {
    const found = await subscriptions.readLink(request.params.token, 'unsubscribe');
    if (!found.ok) return invalidPage(reply);
    await subscriptions.unsubscribe(found.subscriber, webOrigin(request, isOneClickBody(request.body) ? 'web:one-click' : 'web:unsubscribe'));
    return donePage(reply, found.subscriber.email);
  });
}
