import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../../config.js';
import { emailKey, type Subscriber } from '../../model/subscriber.js';
import { topicNames } from '../../model/topic.js';
import { digestName } from '../../plan/cadence.js';
import type { ConfirmLink, SubscriptionService } from '../../subscriptions/service.js';
import { webOrigin } from '../consent-evidence.js';
import { pathOf, sendBadLinkPage, type PageKit } from '../web-context.js';

/**
 * `/confirm/:token`, the double opt-in link. GET only shows the chosen topics and a "Confirm my
 * subscription" button, because corporate link scanners (Safe Links, Proofpoint) fetch every link
 * in incoming mail: if GET confirmed, anyone could sign a victim up and the victim's scanner would
 * finish the job. POST from that page (with CSRF) asks the subscription service to confirm.
 * On both methods an expired link offers a new one (410) and a forged or unknown one points to the
 * signup page (400); an already-active reader just sees the welcome page again.
 */

/** What the confirmation pages use. */
export interface ConfirmRouteDeps {
  subscriptions: Pick<SubscriptionService, 'catalogue' | 'linksFor' | 'readConfirmLink' | 'confirm' | 'resendConfirmation'>;
  digest: Pick<Config['digest'], 'timezone' | 'sendTime'>;
  confirmTtlHours: number;
}

interface TokenParams {
  token: string;
}

/** Registers the confirmation routes. */
export function registerConfirmRoutes(server: FastifyInstance, ctx: PageKit, deps: ConfirmRouteDeps): void {
  const { subscriptions } = deps;
  const confirmedPage = async (reply: FastifyReply, s: Subscriber) =>
    ctx.sendPage(reply, {
      name: 'confirmed',
      title: 'You are subscribed',
      data: {
        name: s.name,
        topicNames: topicNames(await subscriptions.catalogue(), s.topics),
        sendTime: deps.digest.sendTime,
        timezone: s.timezone ?? deps.digest.timezone,
        preferencesPath: pathOf(subscriptions.linksFor(s).preferencesUrl),
      },
    });

  const invalidPage = (reply: FastifyReply) => sendBadLinkPage(ctx, reply, 'This confirmation link is not valid. It may have been copied incompletely.');

  const expiredPage = (reply: FastifyReply, token: string, s: Subscriber) => {
    // Only a reader still waiting for confirmation can use a new link; anyone else signs up again.
    const canResend = s.status === 'pending';
    return ctx.sendPage(reply, {
      name: 'link-problem',
      title: 'This link has expired',
      status: 410,
      data: {
        message: canResend
          ? `Confirmation links work for ${deps.confirmTtlHours} hours, and this one is older. We can send you a new one.`
          : 'This confirmation link is no longer valid. Sign up again to get a new one.',
        canResend,
        resendPath: `/confirm/${encodeURIComponent(token)}/resend`,
        csrfToken: canResend ? reply.generateCsrf() : undefined,
      },
    });
  };

  /** The page for every link that is not waiting to be confirmed. */
  const answerSettledLink = (reply: FastifyReply, token: string, link: Exclude<ConfirmLink, { kind: 'pending' }>) => {
    if (link.kind === 'invalid') return invalidPage(reply);
    if (link.kind === 'active') return confirmedPage(reply, link.subscriber);
    return expiredPage(reply, token, link.subscriber);
  };

  server.get<{ Params: TokenParams }>('/confirm/:token', async (request, reply) => {
    const { token } = request.params;
    const link = await subscriptions.readConfirmLink(token);
    if (link.kind !== 'pending') return answerSettledLink(reply, token, link);
    const s = link.subscriber;
    return ctx.sendPage(reply, {
      name: 'confirm',
      title: 'Confirm your subscription',
      data: { csrfToken: reply.generateCsrf(), email: s.email, digestName: digestName(s.frequency), topicNames: topicNames(await subscriptions.catalogue(), s.topics), path: `/confirm/${encodeURIComponent(token)}` },
    });
  });

  server.post<{ Params: TokenParams }>('/confirm/:token', { preHandler: ctx.csrfProtection }, async (request, reply) => {
    const { token } = request.params;
    return answerSettledLink(reply, token, await subscriptions.confirm(token, webOrigin(request, 'web:confirm')));
  });

  server.post<{ Params: TokenParams }>('/confirm/:token/resend', { preHandler: ctx.csrfProtection, config: { rateLimit: ctx.mailRouteRateLimit } }, async (request, reply) => {
    const ours = await subscriptions.resendConfirmation(request.params.token, (email) => ctx.addressLimiter.tryConsume(emailKey(email)));
    if (!ours) return invalidPage(reply);
    return ctx.sendPage(reply, { name: 'link-resent', title: 'Check your inbox', data: { ttlHours: deps.confirmTtlHours } });
  });
}
