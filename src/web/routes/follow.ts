import type { FastifyInstance } from 'fastify';
import type { WebContext } from '../web-context.js';
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
}
