import type { FastifyInstance } from 'fastify';
import { senderOptions } from '../../deliver/create-mailer.js';
import { editionHeaderBlock } from '../../deliver/edition-headers.js';
import { encodeEdition } from '../../deliver/mime/encoded-edition.js';
import { digestSettings } from '../../pipeline/digest-settings.js';
import type { RouteContext } from '../web-context.js';
import { sendAdminPage } from './admin-page.js';

/** The services this route group uses. */
type Ctx = RouteContext<'config' | 'links' | 'mailer', 'admin' | 'editions'>;

/**
 * `/admin/editions`: every rendered edition with its readers and stories, and each one's HTML
 * and text parts as stored for sending (personal fields still as `%%td:…%%` placeholders, which
 * the send loop filled per reader). The HTML is served as its own document under a sandboxing
 * CSP: it is email markup with inline styles and remote images, and must never run script.
 */

// Email HTML needs inline styles and the images it links; `sandbox` blocks script, forms and navigation.
const EMAIL_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src http: https: data:; sandbox; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Registers the editions list, detail and raw parts (inside the signed-in scope). */
export function registerAdminEditions(scope: FastifyInstance, ctx: Ctx): void {
  const { app } = ctx;

  scope.get('/admin/editions', async (request, reply) => {
    const editions = await app.store.admin.listEditions(200);
    return sendAdminPage(ctx, reply, request.admin, { name: 'admin-editions', title: 'Editions', data: { editions } });
  });

  scope.get<{ Params: { key: string } }>('/admin/editions/:key', async (request, reply) => {
    const edition = await app.store.editions.get(request.params.key);
    if (!edition) return reply.callNotFound();
    // The mailer's own encoder (its From and Reply-To); a mailer without one sends what config says.
    const encode = app.mailer.encoded?.encodeEdition ?? ((parts) => encodeEdition(parts, senderOptions(app.config)));
    const headers = editionHeaderBlock(edition, encode, app.links, digestSettings(app.config));
    return sendAdminPage(ctx, reply, request.admin, {
      name: 'admin-edition',
      title: edition.subject,
      data: { edition, headers, htmlPath: `/admin/editions/${encodeURIComponent(edition.key)}/html` },
    });
  });

  scope.get<{ Params: { key: string } }>('/admin/editions/:key/html', async (request, reply) => {
    const edition = await app.store.editions.get(request.params.key);
    if (!edition) return reply.callNotFound();
    return reply.header('content-security-policy', EMAIL_CSP).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(edition.html);
  });
}
