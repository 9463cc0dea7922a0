import { subscriberEventData } from '../../deliver/webhook-events.js';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { recordConsent } from '../consent-evidence.js';
import { emailKey, type Subscriber } from '../../model/subscriber.js';
import { lookupSubscriberToken } from '../subscriber-token.js';
import { topicNames } from '../form-options.js';
import { sendConfirmEmail, sendWelcomeEmail } from '../subscription-mail.js';
import { pathOf, sendBadLinkPage, type WebContext } from '../web-context.js';

/**
 * `/confirm/:token`, the double opt-in link. GET only shows the chosen topics and a "Confirm my
 * subscription" button, because corporate link scanners (Safe Links, Proofpoint) fetch every link
 * in incoming mail: if GET confirmed, anyone could sign a victim up and the victim's scanner would
 * finish the job. POST from that page (with CSRF) activates the reader and sends the welcome email.
 * On both methods an expired link offers a new one (410) and a forged or unknown one points to the
 * signup page (400); an already-active reader just sees the welcome page again.
 */

interface TokenParams {
  token: string;
}

/** What a confirmation link turned out to be: forged, for a reader already active, expired (or for a reader who left), or good. */
type LinkCheck =
  | { kind: 'invalid' }
  | { kind: 'active'; subscriber: Subscriber }
  | { kind: 'expired'; subscriber: Subscriber }
  | { kind: 'pending'; subscriber: Subscriber };

/** Registers the confirmation routes. */
export function registerConfirmRoutes(server: FastifyInstance, ctx: WebContext): void {
  const { app } = ctx;

  const confirmedPage = async (reply: FastifyReply, s: Subscriber) => {
    const catalogue = await app.store.topics.list();
    return ctx.sendPage(reply, {
      name: 'confirmed',
      title: 'You are subscribed',
      data: {
        name: s.name,
        topicNames: topicNames(catalogue, s.topics),
        sendTime: app.config.digest.sendTime,
        timezone: s.timezone ?? app.config.digest.timezone,
        preferencesPath: pathOf(app.links.forSubscriber(s).preferencesUrl),
      },
    });
  };

  const invalidPage = (reply: FastifyReply) =>
    sendBadLinkPage(ctx, reply, 'This confirmation link is not valid. It may have been copied incompletely.');

  const expiredPage = (reply: FastifyReply, token: string, s: Subscriber) => {
    // Only a reader still waiting for confirmation can use a new link; anyone else signs up again.
    const canResend = s.status === 'pending';
    return ctx.sendPage(reply, {
      name: 'link-problem',
      title: 'This link has expired',
      status: 410,
      data: {
        message: canResend
          ? `Confirmation links work for ${app.config.confirmTtlHours} hours, and this one is older. We can send you a new one.`
          : 'This confirmation link is no longer valid. Sign up again to get a new one.',
        canResend,
        resendPath: `/confirm/${encodeURIComponent(token)}/resend`,
        csrfToken: canResend ? reply.generateCsrf() : undefined,
      },
    });
  };

  /** Reads a confirmation link. GET and POST share it, so both answer a bad link the same way. */
  const checkLink = async (token: string): Promise<LinkCheck> => {
    const found = await lookupSubscriberToken(app.store, app.secretKey, token, 'confirm');
    if (!found.subscriber) return { kind: 'invalid' };
    const s = found.subscriber;
    // An active reader re-opening any of their confirmation links just sees the welcome again.
    if (s.status === 'active') return { kind: 'active', subscriber: s };
    if (!found.ok || s.status !== 'pending') return { kind: 'expired', subscriber: s };
    return { kind: 'pending', subscriber: s };
  };

  /** The page for every link that is not waiting to be confirmed; none of them changes anything. */
  const answerSettledLink = (reply: FastifyReply, token: string, link: Exclude<LinkCheck, { kind: 'pending' }>) => {
    if (link.kind === 'invalid') return invalidPage(reply);
    if (link.kind === 'active') return confirmedPage(reply, link.subscriber);
    return expiredPage(reply, token, link.subscriber);
  };

  server.get<{ Params: TokenParams }>('/confirm/:token', async (request, reply) => {
    const { token } = request.params;
    const link = await checkLink(token);
    if (link.kind !== 'pending') return answerSettledLink(reply, token, link);
    const s = link.subscriber;
    const catalogue = await app.store.topics.list();
    return ctx.sendPage(reply, {
      name: 'confirm',
      title: 'Confirm your subscription',
      data: {
        csrfToken: reply.generateCsrf(),
        email: s.email,
        topicNames: topicNames(catalogue, s.topics),
        path: `/confirm/${encodeURIComponent(token)}`,
      },
    });
  });

  server.post<{ Params: TokenParams }>('/confirm/:token', { preHandler: ctx.csrfProtection }, async (request, reply) => {
    const { token } = request.params;
    const link = await checkLink(token);
    if (link.kind !== 'pending') return answerSettledLink(reply, token, link);
    const s = link.subscriber;
    const now = new Date().toISOString();
    // Check again inside the transaction: on a store whose queries interleave, both POSTs of a
    // double-click could pass the check above, and only one may activate and send the welcome.
    const activated = await app.store.transaction(async (tx) => {
      if ((await tx.subscribers.findById(s.id))?.status !== 'pending') return false;
      await tx.subscribers.setStatus(s.id, 'active', now);
      await tx.subscribers.updateProfile(s.id, { paused: false }, now);
      await recordConsent(tx, request, app, { subscriberId: s.id, action: 'confirm', source: 'web:confirm' });
      // The reader confirmed from this mailbox: it works and they want the mail, so neither an
      // old bounce nor an old complaint stands any more. Nothing else lifts a complaint.
      if (await tx.suppressions.remove(s.email)) app.logger.info('suppression lifted by the reader confirming', { subscriber: s.id });
      return true;
    });
    if (activated) {
      app.logger.info('reader confirmed', { subscriber: s.id });
      await app.events.emit('subscriber.confirmed', subscriberEventData({ ...s, status: 'active' }));
      const catalogue = await app.store.topics.list();
      await sendWelcomeEmail(app, s, topicNames(catalogue, s.topics));
    }
    return confirmedPage(reply, { ...s, status: 'active' });
  });

  server.post<{ Params: TokenParams }>(
    '/confirm/:token/resend',
    { preHandler: ctx.csrfProtection, config: { rateLimit: ctx.mailRouteRateLimit } },
    async (request, reply) => {
      const found = await lookupSubscriberToken(app.store, app.secretKey, request.params.token, 'confirm');
      // Expired is fine here: the signature proves the link was ours.
      if (!found.subscriber) return invalidPage(reply);
      const s = found.subscriber;
      if (s.status === 'pending' && ctx.addressLimiter.tryConsume(emailKey(s.email))) {
        const catalogue = await app.store.topics.list();
        await sendConfirmEmail(app, s, topicNames(catalogue, s.topics));
      }
      return ctx.sendPage(reply, { name: 'link-resent', title: 'Check your inbox', data: { ttlHours: app.config.confirmTtlHours } });
    },
  );
}
