import type { FastifyInstance } from 'fastify';
import { articleIdFromSegment, articlePath } from '../../model/article-path.js';
import { safeHttpUrl } from '../../render/prepare-content.js';
import type { RouteContext } from '../web-context.js';

/** The services this route group uses. */
type Ctx = RouteContext<'config', 'articles' | 'topics'>;

/**
 * `/articles/<id>-<slug>`: a story's own page, for stories with no URL of their own (scraped
 * pages, pushed stories without a link). Digests link such headlines here. Remote images are
 * allowed on this page only; scripts never are.
 */

/** Images may come from the publisher's CDN; everything else stays same-origin. */
const ARTICLE_CSP = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'https:', 'data:'],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
    objectSrc: ["'none'"],
  },
};

const dateFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });

/** Registers the article page route. */
export function registerArticlePages(server: FastifyInstance, ctx: Ctx): void {
  const { app } = ctx;
  const notFound = (reply: Parameters<Ctx['sendPage']>[0], status = 404, message = 'There is no story at this address.') =>
    ctx.sendPage(reply, { name: 'error', title: status === 410 ? 'This story was withdrawn' : 'Story not found', status, data: { message } });

  server.get<{ Params: { story: string } }>('/articles/:story', { helmet: { contentSecurityPolicy: ARTICLE_CSP } }, async (request, reply) => {
    const id = articleIdFromSegment(request.params.story);
    const article = id === undefined ? undefined : await app.store.articles.byId(id);
    if (!article) return notFound(reply);
    if (article.withdrawnAt) return notFound(reply, 410, 'The publisher withdrew this story.');
    const canonical = articlePath(article);
    if (`/articles/${request.params.story}` !== canonical) return reply.redirect(canonical, 301);
    const catalogue = await app.store.topics.list();
    const imageUrl = article.image ? safeHttpUrl(article.image.url, app.config.web.publicUrl) : null;
    return ctx.sendPage(reply, {
      name: 'article',
      title: article.title,
      cacheable: true,
      data: {
        indexable: true,
        summary: article.summary,
        source: article.source,
        publishedIso: article.publishedAt,
        publishedText: `${dateFormat.format(new Date(article.publishedAt))} UTC`,
        image: article.image ? { ...article.image, url: imageUrl } : null,
        paragraphs: article.body.split(/\n\s*\n|\r?\n/).map((p) => p.trim()).filter(Boolean),
        topics: catalogue.filter((t) => article.topics.includes(t.slug)).map((t) => ({ slug: t.slug, name: t.name })),
      },
    });
  });
}
