import { subscriberEventData } from '../../deliver/webhook-events.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { recordConsent } from '../consent-evidence.js';
import { isOneClickBody } from '../one-click.js';
import { lookupSubscriberToken } from '../subscriber-token.js';
import { pathOf, sendBadLinkPage, type WebContext } from '../web-context.js';

/**
 * `/unsubscribe/:token`, the URL every digest carries in List-Unsubscribe. GET only shows a
 * button, because link scanners follow GETs. POST from that page (with CSRF) unsubscribes, and so
 * does the RFC 8058 one-click POST, which carries no cookie and no CSRF token: the signed token in
 * the URL is its authority. Unsubscribe tokens never expire.
 */

interface TokenParams {
  token: string;
}

/** Registers the unsubscribe routes. */
export function registerUnsubscribeRoutes(server: FastifyInstance, ctx: WebContext): void {
  const { app } = ctx;

  const invalidPage = (reply: FastifyReply) =>
    sendBadLinkPage(ctx, reply, 'This unsubscribe link is not valid. It may have been copied incompletely; try the link at the bottom of your latest digest.');

  const donePage = (reply: FastifyReply, email: string) => ctx.sendPage(reply, { name: 'unsubscribed', title: 'You are unsubscribed', data: { email } });

  server.get<{ Params: TokenParams }>('/unsubscribe/:token', async (request, reply) => {
    const { token } = request.params;
    const found = await lookupSubscriberToken(app.store, app.secretKey, token, 'unsubscribe');
    if (!found.ok) return invalidPage(reply);
    const s = found.subscriber;
    if (s.status === 'unsubscribed') return donePage(reply, s.email);
    return ctx.sendPage(reply, {
      name: 'unsubscribe',
      title: 'Unsubscribe',
      data: {
        csrfToken: reply.generateCsrf(),
        email: s.email,
        path: `/unsubscribe/${encodeURIComponent(token)}`,
        preferencesPath: pathOf(app.links.forSubscriber(s).preferencesUrl),
      },
    });
  });

  // One-click requests skip CSRF by design (RFC 8058 §3.2); every other POST needs it.
  const csrfUnlessOneClick = (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) =>
    isOneClickBody(request.body) ? done() : ctx.csrfProtection(request, reply, done);

  server.post<{ Params: TokenParams }>('/unsubscribe/:token', { preHandler: csrfUnlessOneClick }, async (request, reply) => {
    const found = await lookupSubscriberToken(app.store, app.secretKey, request.params.token, 'unsubscribe');
    if (!found.ok) return invalidPage(reply);
    const s = found.subscriber;
    // Bounced stays bounced: that status matters more to the sender than the reader's wish.
    if (s.status === 'active' || s.status === 'pending') {
      const oneClick = isOneClickBody(request.body);
      await app.store.transaction(async (tx) => {
        await tx.subscribers.setStatus(s.id, 'unsubscribed', new Date().toISOString());
        await recordConsent(tx, request, app, { subscriberId: s.id, action: 'unsubscribe', source: oneClick ? 'web:one-click' : 'web:unsubscribe' });
      });
      app.logger.info('reader unsubscribed', { subscriber: s.id, oneClick: isOneClickBody(request.body) });
      await app.events.emit('subscriber.unsubscribed', subscriberEventData({ ...s, status: 'unsubscribed' }));
    }
    return donePage(reply, s.email);
  });
}
