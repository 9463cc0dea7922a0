import type { FastifyInstance } from 'fastify';
import { TOKEN_PATTERN } from '../../render/personal-tokens.js';
import type { EditionSummary } from '../../store/edition-repository.js';
import { archiveEditionView, atomFeed, editionDateLabel } from '../archive-view.js';
import { siteCspDirectives } from '../security-plugins.js';
import type { RouteContext } from '../web-context.js';

/** The services this route group uses. */
type Ctx = RouteContext<'config', 'articles' | 'editions' | 'topics'>;

/**
 * The public archive: `/archive` (every sent edition), `/archive/:edition` (one edition as a web
 * page in the site's layout, built from its stored stories), `/archive/topic/:slug` and
 * `/archive/feed.xml` (Atom). Only editions that reached a reader are public, and nothing on
 * these pages belongs to any one reader.
 */

/** How many editions the index, topic pages and feed look through. */
const LIST_LIMIT = 200;

/**
 * The CSP of an edition page: the site's own policy, but story photos load from PUBLIC_URL's
 * origin and from any https host (newsrooms serve them from CDNs).
 */
export function archiveEditionCsp(publicUrl: string): { useDefaults: boolean; directives: Record<string, string[]> } {
  const directives = siteCspDirectives(publicUrl.startsWith('https:'));
  return { useDefaults: false, directives: { ...directives, imgSrc: [...(directives.imgSrc ?? []), new URL(publicUrl).origin, 'https:'] } };
}

/**
 * A stored subject as the public archive shows it: any personal token removed (a custom subject
 * template may use one), and a generic line instead when it quotes a story since withdrawn.
 */
function publicSubject(e: { subject: string; localDate: string }, withdrawn: string[], siteName: string): string {
  const subject = e.subject.replace(TOKEN_PATTERN, '').replace(/\s{2,}/g, ' ').trim();
  // Subjects cut long headlines at a word, so a withdrawn title is matched by its opening words.
  const quotes = withdrawn.some((title) => subject.includes(title.replace(/\s+/g, ' ').trim().slice(0, 24)));
  return quotes ? `${siteName}, ${editionDateLabel(e.localDate)}` : subject;
}

/** Registers the archive routes. */
export function registerArchiveRoutes(server: FastifyInstance, ctx: Ctx): void {
  const { app } = ctx;
  const topicNames = async () => new Map((await app.store.topics.list()).map((t) => [t.slug, t.name]));
  const siteName = app.config.mail.senderName;
  const listItems = (editions: EditionSummary[], names: Map<string, string>, withdrawn: string[]) =>
    editions.map((e) => ({
      href: `/archive/${encodeURIComponent(e.key)}`,
      subject: publicSubject(e, withdrawn, siteName),
      localDate: e.localDate,
      dateLabel: editionDateLabel(e.localDate),
      topicNames: e.topics.map((slug) => names.get(slug) ?? slug).join(', '),
    }));

  server.get('/archive', async (_request, reply) => {
    const [editions, catalogue, withdrawn] = await Promise.all([app.store.editions.listSent(LIST_LIMIT), app.store.topics.list(), app.store.articles.withdrawnTitles()]);
    const names = new Map(catalogue.map((t) => [t.slug, t.name]));
    const used = new Set(editions.flatMap((e) => e.topics));
    return ctx.sendPage(reply, {
      name: 'archive-index',
      title: 'Digest archive',
      cacheable: true,
      data: { indexable: true, editions: listItems(editions, names, withdrawn), topics: catalogue.filter((t) => used.has(t.slug)).map((t) => ({ slug: t.slug, name: t.name })) },
    });
  });

  server.get('/archive/feed.xml', async (_request, reply) => {
    const [editions, names, withdrawn] = await Promise.all([app.store.editions.listSent(50), topicNames(), app.store.articles.withdrawnTitles()]);
    const xml = atomFeed(
      editions.map((e) => ({ ...e, subject: publicSubject(e, withdrawn, siteName) })),
      { publicUrl: app.config.web.publicUrl, siteName: app.config.mail.senderName, topicName: (slug) => names.get(slug) ?? slug },
    );
    return reply.header('cache-control', 'public, max-age=300').type('application/atom+xml; charset=utf-8').send(xml);
  });

  server.get<{ Params: { slug: string } }>('/archive/topic/:slug', async (request, reply) => {
    const names = await topicNames();
    const name = names.get(request.params.slug);
    if (!name) return ctx.sendPage(reply, { name: 'error', title: 'Topic not found', status: 404, data: { message: 'There is no topic at this address. The archive lists every topic with past digests.' } });
    const [sent, withdrawn] = await Promise.all([app.store.editions.listSent(LIST_LIMIT), app.store.articles.withdrawnTitles()]);
    const editions = sent.filter((e) => e.topics.includes(request.params.slug));
    return ctx.sendPage(reply, { name: 'archive-topic', title: `${name}: past digests`, cacheable: true, data: { indexable: true, topicName: name, editions: listItems(editions, names, withdrawn) } });
  });

  const csp = archiveEditionCsp(app.config.web.publicUrl);
  server.get<{ Params: { edition: string } }>('/archive/:edition', { helmet: { contentSecurityPolicy: csp } }, async (request, reply) => {
    const { edition: key } = request.params;
    const edition = key.length <= 200 && (await app.store.editions.wasSent(key)) ? await app.store.editions.get(key) : undefined;
    if (!edition) {
      return ctx.sendPage(reply, { name: 'error', title: 'Digest not found', status: 404, data: { message: 'There is no digest at this address. The archive lists every one we have sent.' } });
    }
    const [articles, catalogue] = await Promise.all([app.store.articles.byIds(edition.articleIds), app.store.topics.list()]);
    const withdrawn = articles.filter((a) => a.withdrawnAt).map((a) => a.title);
    const view = archiveEditionView({ ...edition, subject: publicSubject(edition, withdrawn, siteName) }, articles, catalogue, app.config.web.publicUrl);
    return ctx.sendPage(reply, { name: 'archive-edition', title: `${app.config.mail.senderName}, ${view.dateLabel}`, cacheable: true, data: { indexable: true, ...view } });
  });
}
