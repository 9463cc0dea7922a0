import type { FastifyInstance } from 'fastify';
import type { WebContext } from '../web-context.js';
import { registerAdminArticles } from './articles.js';
import { registerAdminDeliveries } from './deliveries.js';
import { registerAdminEditions } from './editions.js';
import { registerAdminLogin } from './login.js';
import { registerAdminOverview } from './overview.js';
import { registerAdminTestSend, registerTestLinkPages } from './test-send.js';
import { registerAdminSources } from './sources.js';
import { registerAdminSubscribers } from './subscribers.js';
import { registerAdminTopics } from './topics.js';
import { registerAdminWebhooks } from './webhooks.js';
import { adminOf } from './session.js';

/**
 * The console under /admin. Sign-in and sign-out are open; every other /admin route lives in one
 * encapsulated scope whose hook sends anyone without a live session to the login page before a
 * handler (and so any query) runs.
 */
export async function registerAdminRoutes(server: FastifyInstance, ctx: WebContext): Promise<void> {
  registerAdminLogin(server, ctx);
  registerTestLinkPages(server, ctx);
  await server.register(async (scope) => {
    scope.decorateRequest('admin', '');
    scope.addHook('onRequest', async (request, reply) => {
      const admin = await adminOf(ctx, request);
      if (!admin) return reply.header('cache-control', 'no-store').redirect('/admin/login', 302);
      request.admin = admin;
    });
    registerAdminOverview(scope, ctx);
    registerAdminTestSend(scope, ctx);
    registerAdminDeliveries(scope, ctx);
    registerAdminSubscribers(scope, ctx);
    registerAdminSources(scope, ctx);
    registerAdminEditions(scope, ctx);
    registerAdminTopics(scope, ctx);
    registerAdminArticles(scope, ctx);
    registerAdminWebhooks(scope, ctx);
    // Unknown /admin paths still pass the session hook first, so they too send strangers to sign in.
    scope.route({ method: ['GET', 'POST'], url: '/admin/*', handler: (_request, reply) => reply.callNotFound() });
  });
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in console user's address (set under /admin only). */
    admin: string;
  }
}
