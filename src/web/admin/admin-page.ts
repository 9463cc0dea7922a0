import type { FastifyReply } from 'fastify';
import type { PageResponse, WebContext } from '../web-context.js';

/**
 * Sends a console page. Every one shows who is signed in and carries a fresh CSRF token for its
 * forms, so those two are added here rather than by each page.
 */
export function sendAdminPage(ctx: Pick<WebContext, 'sendPage'>, reply: FastifyReply, admin: string, page: PageResponse): FastifyReply {
  return ctx.sendPage(reply, { ...page, data: { admin, csrfToken: reply.generateCsrf(), ...page.data } });
}
