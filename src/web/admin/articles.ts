import type { FastifyInstance } from 'fastify';
import { asForm, fieldList } from '../form.js';
import type { RouteContext } from '../web-context.js';
import { sendAdminPage } from './admin-page.js';

/** The services this route group uses. */
type Ctx = RouteContext<'logger', 'articles' | 'topics' | 'transaction'>;

/**
 * `/admin/articles`: recent articles, paged, with source, time, topics and whether the publisher
 * withdrew them; and each article's topics fixed by hand. A hand fix marks the article
 * (migration 015) so re-polls and re-imports update its text but keep its topics.
 */

/** Articles per page. */
export const ARTICLES_PER_PAGE = 50;

// Deep pages cost an OFFSET scan; nobody fixes topics 500 pages back.
const MAX_PAGE = 500;

/** Registers the articles pages and the topic fix (inside the signed-in scope). */
export function registerAdminArticles(scope: FastifyInstance, ctx: Ctx): void {
  const { app } = ctx;
  const topicNames = async () => new Map((await app.store.topics.list()).map((t) => [t.slug, t.name]));

  scope.get<{ Querystring: { page?: string; topic?: string } }>('/admin/articles', async (request, reply) => {
    const page = Math.min(MAX_PAGE, Math.max(1, /^\d{1,6}$/.test(request.query.page ?? '') ? Number(request.query.page) : 1));
    const names = await topicNames();
    // Only a catalogue slug filters; anything else lists every topic.
    const topic = typeof request.query.topic === 'string' && names.has(request.query.topic) ? request.query.topic : undefined;
    // One more than a page tells whether there is a next page without a count query.
    const rows = await app.store.articles.recent({ limit: ARTICLES_PER_PAGE + 1, offset: (page - 1) * ARTICLES_PER_PAGE, includeWithdrawn: true, ...(topic ? { topic } : {}) });
    const articles = rows.slice(0, ARTICLES_PER_PAGE).map((a) => ({ ...a, topicNames: a.topics.map((t) => names.get(t) ?? t), fixed: Boolean(a.topicsFixedAt) }));
    return sendAdminPage(ctx, reply, request.admin, {
      name: 'admin-articles',
      title: 'Articles',
      data: {
        articles,
        page,
        topic: topic && { slug: topic, name: names.get(topic) },
        // Pager links keep the topic filter.
        query: topic ? `topic=${encodeURIComponent(topic)}&` : '',
        prevPage: page > 1 ? page - 1 : undefined,
        nextPage: rows.length > ARTICLES_PER_PAGE && page < MAX_PAGE ? page + 1 : undefined,
      },
    });
  });

  const findArticle = async (id: string) => (/^\d{1,15}$/.test(id) ? app.store.articles.byId(Number(id)) : undefined);

  scope.get<{ Params: { id: string }; Querystring: { done?: string } }>('/admin/articles/:id', async (request, reply) => {
    const article = await findArticle(request.params.id);
    if (!article) return reply.callNotFound();
    const topics = (await app.store.topics.list()).map((t) => ({ slug: t.slug, name: t.name, checked: article.topics.includes(t.slug) }));
    return sendAdminPage(ctx, reply, request.admin, {
      name: 'admin-article',
      title: article.title,
      data: { article, topics, done: request.query.done === '1', released: request.query.done === 'released' },
    });
  });

  scope.post<{ Params: { id: string } }>('/admin/articles/:id/topics', { preHandler: ctx.csrfProtection }, async (request, reply) => {
    const article = await findArticle(request.params.id);
    if (!article) return reply.callNotFound();
    const known = await app.store.topics.slugs();
    const chosen = fieldList(asForm(request.body), 'topics');
    const unknown = chosen.filter((t) => !known.has(t));
    if (unknown.length > 0) return reply.code(400).type('text/plain; charset=utf-8').send('one or more of the chosen topics is not in the catalogue; reload the page and choose again');
    await app.store.transaction((tx) => tx.articles.setTopicsByHand(article.id, chosen, request.admin, new Date().toISOString()));
    app.logger.info('article topics fixed from the console', { admin: request.admin, article: article.id, topics: chosen });
    return reply.redirect(`/admin/articles/${article.id}?done=1`, 303);
  });

  scope.post<{ Params: { id: string } }>('/admin/articles/:id/release', { preHandler: ctx.csrfProtection }, async (request, reply) => {
    const article = await findArticle(request.params.id);
    if (!article) return reply.callNotFound();
    await app.store.articles.releaseTopics(article.id, new Date().toISOString());
    app.logger.info('article topics handed back to the source from the console', { admin: request.admin, article: article.id });
    return reply.redirect(`/admin/articles/${article.id}?done=released`, 303);
  });
}
