import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Subscriber } from '../../model/subscriber.js';
import { readFollowToken, verifyFollowToken, type FollowClaims } from '../../security/follow-token.js';
import { topicNames } from '../form-options.js';
import { pathOf, sendBadLinkPage, type WebContext } from '../web-context.js';
import { sendSignupPage } from './signup.js';

/**
 * `/follow/<topic>`: the signup form with one topic ticked and named in the heading, for "Follow
 * China" links and buttons on a newsroom's article pages (docs/embedding.md). It posts to the
 * ordinary `/subscribe`, so double opt-in, rate limits and the no-enumeration answer all apply.
 */
export function registerFollowRoutes(server: FastifyInstance, ctx: WebContext): void {
  server.get<{ Params: { topic: string } }>('/follow/:topic', async (request, reply) => {
    const catalogue = await ctx.app.store.topics.list();
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
    return sendSignupPage(ctx, reply, catalogue, topic);
  });

  registerFollowConfirmRoutes(server, ctx);
}

type FollowLink = { ok: true; reader: Subscriber; claims: FollowClaims } | { ok: false; reply: FastifyReply };

/** Checks a follow link; answers the bad-link page itself when it does not hold. */
async function checkFollowLink(ctx: WebContext, reply: FastifyReply, token: string): Promise<FollowLink> {
  const claims = readFollowToken(token);
  const reader = claims ? await ctx.app.store.subscribers.findById(claims.subscriberId) : undefined;
  const verdict = claims && reader ? verifyFollowToken(ctx.app.secretKey, reader.signingKey, token, Math.floor(Date.now() / 1000)) : 'forged';
  if (verdict === 'expired') return { ok: false, reply: sendBadLinkPage(ctx, reply, 'This link has expired. Use the Follow button again to get a new one.', 410) };
  if (verdict !== 'ok' || !reader || !claims || reader.status !== 'active') {
    return { ok: false, reply: sendBadLinkPage(ctx, reply, 'This link is not valid. It may have been copied incompletely.') };
  }
  return { ok: true, reader, claims };
}

/**
 * `/follow/confirm/:token`: GET shows what would be added and a button, because link scanners
 * fetch every link in mail; POST (with CSRF) adds the topics to the reader's existing ones.
 */
function registerFollowConfirmRoutes(server: FastifyInstance, ctx: WebContext): void {
  const { app } = ctx;
  server.get<{ Params: { token: string } }>('/follow/confirm/:token', async (request, reply) => {
    const link = await checkFollowLink(ctx, reply, request.params.token);
    if (!link.ok) return link.reply;
    const catalogue = await app.store.topics.list();
    return ctx.sendPage(reply, {
      name: 'follow-confirm',
      title: 'Add topics to your digest',
      data: { email: link.reader.email, topicNames: topicNames(catalogue, link.claims.topics), path: `/follow/confirm/${request.params.token}`, csrfToken: reply.generateCsrf() },
    });
  });

  server.post<{ Params: { token: string } }>('/follow/confirm/:token', { preHandler: ctx.csrfProtection }, async (request, reply) => {
    const link = await checkFollowLink(ctx, reply, request.params.token);
    if (!link.ok) return link.reply;
    const catalogue = await app.store.topics.list();
    const known = new Set(catalogue.map((t) => t.slug));
    const reader = await app.store.transaction(async (tx) => {
      const current = await tx.subscribers.findById(link.reader.id);
      const topics = [...new Set([...(current?.topics ?? []), ...link.claims.topics.filter((t) => known.has(t))])];
      await tx.subscribers.setTopics(link.reader.id, topics);
      return (await tx.subscribers.findById(link.reader.id)) ?? link.reader;
    });
    return ctx.sendPage(reply, {
      name: 'follow-added',
      title: 'Topics added',
      data: { topicNames: topicNames(catalogue, link.claims.topics), preferencesPath: pathOf(app.links.forSubscriber(reader).preferencesUrl) },
    });
  });
}
