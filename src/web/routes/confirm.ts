import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Subscriber } from '../../model/subscriber.js';
import { lookupSubscriberToken } from '../subscriber-token.js';
import { topicNames } from '../form-options.js';
import { sendConfirmEmail, sendWelcomeEmail } from '../subscription-mail.js';
import { pathOf, type WebContext } from '../web-context.js';

/**
 * `GET /confirm/:token` activates a pending reader (double opt-in) and sends the welcome email.
 * An expired link offers a new one (410); a forged or unknown one points to the signup page (400).
 */

interface TokenParams {
  token: string;
}

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
    ctx.sendPage(reply, {
      name: 'link-problem',
      title: 'This link does not work',
      status: 400,
      data: { message: 'This confirmation link is not valid. It may have been copied incompletely.' },
    });

  server.get<{ Params: TokenParams }>('/confirm/:token', async (request, reply) => {
    const { token } = request.params;
    const found = await lookupSubscriberToken(app.store, app.secretKey, token, 'confirm');
    if (!found.subscriber) return invalidPage(reply);
    const s = found.subscriber;
    // An active reader re-opening any of their confirmation links just sees the welcome again.
    if (s.status === 'active') return confirmedPage(reply, s);
    if (!found.ok || s.status !== 'pending') {
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
    }
    const now = new Date().toISOString();
    await app.store.transaction(async (tx) => {
      await tx.subscribers.setStatus(s.id, 'active', now);
      await tx.subscribers.updateProfile(s.id, { paused: false }, now);
    });
    const catalogue = await app.store.topics.list();
    await sendWelcomeEmail(app, s, topicNames(catalogue, s.topics));
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
      if (s.status === 'pending' && ctx.addressLimiter.tryConsume(s.email.toLowerCase())) {
        const catalogue = await app.store.topics.list();
        await sendConfirmEmail(app, s, topicNames(catalogue, s.topics));
      }
      return ctx.sendPage(reply, { name: 'link-resent', title: 'Check your inbox', data: { ttlHours: app.config.confirmTtlHours } });
    },
  );
}
