import type { FastifyInstance, FastifyReply } from 'fastify';
import { topicNames } from '../../model/topic.js';
import { digestName } from '../../plan/cadence.js';
import type { FollowLink, SubscriptionService } from '../../subscriptions/service.js';
import { webOrigin } from '../consent-evidence.js';
import { pathOf, sendBadLinkPage, type PageKit } from '../web-context.js';
import { sendSignupPage, type SignupRouteDeps } from './signup.js';

/**
 * `/follow/<topic>`: the signup form with one topic ticked and named in the heading, for "Follow
 * China" links and buttons on a newsroom's article pages (docs/embedding.md). It posts to the
 * ordinary `/subscribe`, so double opt-in, rate limits and the no-enumeration answer all apply.
 */

/** What the follow pages use: the signup page's parts, plus the Follow link operations. */
export interface FollowRouteDeps extends SignupRouteDeps {
  subscriptions: Pick<SubscriptionService, 'catalogue' | 'signup' | 'linksFor' | 'readFollowLink' | 'follow'>;
}

/** Registers the follow routes. */
export function registerFollowRoutes(server: FastifyInstance, ctx: PageKit, deps: FollowRouteDeps): void {
  server.get<{ Params: { topic: string } }>('/follow/:topic', async (request, reply) => {
    const catalogue = await deps.subscriptions.catalogue();
    const wanted = request.params.topic.toLowerCase();
    const topic = catalogue.find((t) => t.slug === wanted) ?? catalogue.find((t) => t.name.toLowerCase() === wanted);
    if (!topic) {
      return ctx.sendPage(reply, {
        name: 'unknown-topic',
        title: 'Topic not found',
        status: 404,
        data: { requested: request.params.topic.slice(0, 80), topics: catalogue.map((t) => ({ slug: t.slug, name: t.name })) },
      });
    }
    return sendSignupPage(ctx, deps, reply, catalogue, topic);
  });

  registerFollowConfirmRoutes(server, ctx, deps);
}

/** The bad-link page for a Follow link that does not hold. */
function badFollowLink(ctx: PageKit, reply: FastifyReply, link: Exclude<FollowLink, { kind: 'ok' }>): FastifyReply {
  if (link.kind === 'expired') return sendBadLinkPage(ctx, reply, 'This link has expired. Use the Follow button again to get a new one.', 410);
  return sendBadLinkPage(ctx, reply, 'This link is not valid. It may have been copied incompletely.');
}

/**
 * `/follow/confirm/:token`: GET shows what would be added and a button, because link scanners
 * fetch every link in mail; POST (with CSRF) adds the topics to the reader's existing ones.
 */
function registerFollowConfirmRoutes(server: FastifyInstance, ctx: PageKit, deps: FollowRouteDeps): void {
  const { subscriptions } = deps;
  server.get<{ Params: { token: string } }>('/follow/confirm/:token', async (request, reply) => {
    const link = await subscriptions.readFollowLink(request.params.token);
    if (link.kind !== 'ok') return badFollowLink(ctx, reply, link);
    return ctx.sendPage(reply, {
      name: 'follow-confirm',
      title: 'Add topics to your digest',
      data: { email: link.reader.email, digestName: digestName(link.reader.frequency), topicNames: topicNames(await subscriptions.catalogue(), link.topics), path: `/follow/confirm/${request.params.token}`, csrfToken: reply.generateCsrf() },
    });
  });

  server.post<{ Params: { token: string } }>('/follow/confirm/:token', { preHandler: ctx.csrfProtection }, async (request, reply) => {
    const link = await subscriptions.follow(request.params.token, webOrigin(request, 'web:follow'));
    if (link.kind !== 'ok') return badFollowLink(ctx, reply, link);
    return ctx.sendPage(reply, {
      name: 'follow-added',
      title: 'Topics added',
      data: { topicNames: topicNames(await subscriptions.catalogue(), link.topics), preferencesPath: pathOf(subscriptions.linksFor(link.reader).preferencesUrl) },
    });
  });
}
