import type { FastifyInstance } from 'fastify';
import { compilePersonaliser } from '../../render/personalise.js';
import type { WebContext } from '../web-context.js';

/**
 * `/archive` and `/archive/:edition`: the view-in-browser copies of past digests. Only editions
 * that were actually sent are public. Personal fields are filled with generic values (signup page
 * for unsubscribe and preferences, no name, no address), so the page holds no reader's data.
 */

/** The CSP for an archived email: its inline styles and remote images, but never a script or form. */
export const ARCHIVE_EDITION_CSP = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    imgSrc: ['https:', 'data:'],
    styleSrc: ["'self'", "'unsafe-inline'"],
    fontSrc: ['https:'],
    scriptSrc: ["'none'"],
    formAction: ["'none'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
    objectSrc: ["'none'"],
  },
};

/** Registers the archive routes. */
export function registerArchiveRoutes(server: FastifyInstance, ctx: WebContext): void {
  const { app } = ctx;

  server.get('/archive', async (_request, reply) => {
    const [editions, catalogue] = await Promise.all([app.store.editions.listSent(100), app.store.topics.list()]);
    const names = new Map(catalogue.map((t) => [t.slug, t.name]));
    return ctx.sendPage(reply, {
      name: 'archive-index',
      title: 'Digest archive',
      cacheable: true,
      data: {
        indexable: true,
        editions: editions.map((e) => ({
          href: `/archive/${encodeURIComponent(e.key)}`,
          subject: e.subject,
          localDate: e.localDate,
          topicNames: e.topics.map((slug) => names.get(slug) ?? slug).join(', '),
        })),
      },
    });
  });

  server.get<{ Params: { edition: string } }>('/archive/:edition', { helmet: { contentSecurityPolicy: ARCHIVE_EDITION_CSP } }, async (request, reply) => {
    const { edition: key } = request.params;
    const edition = key.length <= 200 && (await app.store.editions.wasSent(key)) ? await app.store.editions.get(key) : undefined;
    if (!edition) {
      return ctx.sendPage(reply, { name: 'error', title: 'Digest not found', status: 404, data: { message: 'There is no digest at this address. The archive lists every one we have sent.' } });
    }
    const generic = app.links.signupUrl();
    const { html } = compilePersonaliser(edition)({
      name: null,
      email: '',
      unsubscribeUrl: generic,
      // Without the trailing slash, so links built on it ("/switch?to=weekly") stay one path.
      preferencesUrl: generic.replace(/\/$/, ''),
      viewOnlineUrl: app.links.archiveUrl(edition.key),
    });
    return reply.header('cache-control', 'public, max-age=300').type('text/html; charset=utf-8').send(html);
  });
}
