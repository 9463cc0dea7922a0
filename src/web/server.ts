import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { App } from '../main.js';
import { pinoOf } from '../logger.js';
import { packagePath } from '../paths.js';
import { registerAdminRoutes } from './admin/index.js';
import { registerErrorPages } from './error-pages.js';
import { parseMultipartFields } from './one-click.js';
import { ASSETS_DIR, compilePages, PAGES_DIR } from './pages.js';
import { AddressRateLimiter } from './rate-limit.js';
import { registerApiRoutes } from './routes/api-articles.js';
import { registerAdminApiRoutes } from './routes/api-admin.js';
import { registerArchiveRoutes } from './routes/archive.js';
import { registerArticlePages } from './routes/article-pages.js';
import { registerFollowRoutes } from './routes/follow.js';
import { registerConfirmRoutes } from './routes/confirm.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerMetricsRoutes } from './routes/metrics.js';
import { registerMyDataRoutes } from './routes/my-data.js';
import { registerPreferencesRoutes } from './routes/preferences.js';
import { registerSignupRoutes } from './routes/signup.js';
import { registerUnsubscribeRoutes } from './routes/unsubscribe.js';
import { registerWebhookRoutes, type WebhookOptions } from './routes/webhooks.js';
import { RequestLogController, requestSerializers } from './request-log.js';
import { registerSecurityPlugins } from './security-plugins.js';
import { trackRoutes } from './route-table.js';
import type { WebContext } from './web-context.js';

/**
 * The public web server: signup, confirmation, preferences, unsubscribe and the archive. It is
 * built here without listening, so tests drive it with `inject` and the CLI decides the port.
 */

/** Options for {@link buildServer}. */
export interface BuildServerOptions {
  /** Where page templates live (tests may point elsewhere). */
  pagesDir?: string;
  /** Trust X-Forwarded-For from a reverse proxy, so rate limits see the real client. */
  trustProxy?: boolean;
  /** Largest request body accepted, in bytes. */
  bodyLimit?: number;
  /** Injected clock for the per-address limiter. */
  now?: () => number;
  /** Bounce/complaint webhook options (tests inject the SNS certificate fetcher). */
  webhooks?: WebhookOptions;
}

const HOUR_MS = 3_600_000;
const EMAIL_STATIC_DIR = packagePath('emails', 'static');

/** The default body limit: a signup form is well under 2 KB. */
export const DEFAULT_BODY_LIMIT = 16 * 1024;

/** Builds the Fastify instance with every plugin, page and route registered. */
export async function buildServer(app: App, options: BuildServerOptions = {}): Promise<FastifyInstance> {
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const secure = app.config.web.publicUrl.startsWith('https:');
  // Fastify logs through the app's pino: requests at debug, never with a raw URL (request-log.ts).
  const pinoLogger: FastifyBaseLogger | undefined = pinoOf(app.logger)?.child({ component: 'web' }, { serializers: requestSerializers });
  const server = Fastify({
    ...(pinoLogger ? { loggerInstance: pinoLogger } : { logger: false }),
    logController: new RequestLogController(),
    bodyLimit,
    trustProxy: options.trustProxy ?? false,
    routerOptions: { ignoreTrailingSlash: true },
    ...slowClientTimeouts(app.config.web),
  });
  trackRoutes(server);
  const pages = compilePages(options.pagesDir ?? PAGES_DIR);
  const frame = { siteName: app.config.mail.senderName, senderAddress: app.config.mail.senderAddress };

  const ctx: WebContext = {
    app,
    pages,
    addressLimiter: new AddressRateLimiter({ max: app.config.signupRate.perAddress, windowMs: HOUR_MS, ...(options.now ? { now: options.now } : {}) }),
    mailRouteRateLimit: { max: app.config.signupRate.perIp, timeWindow: HOUR_MS },
    csrfProtection: (request, reply, done) => server.csrfProtection(request, reply, done),
    sendPage: (reply, page) =>
      reply
        .status(page.status ?? 200)
        .header('cache-control', page.cacheable ? 'public, max-age=300' : 'no-store')
        .type('text/html; charset=utf-8')
        .send(pages.render(page.name, { ...frame, title: page.title }, page.data)),
  };

  await registerSecurityPlugins(server, { secure });
  await server.register(formbody, { bodyLimit });
  // RFC 8058 allows one-click requests as multipart/form-data; read just their text fields.
  server.addContentTypeParser('multipart/form-data', { parseAs: 'string', bodyLimit }, (request, body, done) => {
    done(null, parseMultipartFields(String(body), String(request.headers['content-type'] ?? '')));
  });
  await server.register(fastifyStatic, { root: ASSETS_DIR, prefix: '/assets/', maxAge: HOUR_MS, index: false, list: false });
  // The images shipped with the email templates; seeded sample articles point at them. Mail
  // clients load them from another origin, so helmet's same-origin resource policy is lifted here.
  await server.register(fastifyStatic, {
    root: EMAIL_STATIC_DIR,
    prefix: '/static/',
    maxAge: HOUR_MS,
    index: false,
    list: false,
    decorateReply: false,
  });
  server.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/static/')) reply.header('cross-origin-resource-policy', 'cross-origin');
  });
  registerErrorPages(server, ctx);

  registerHealthRoutes(server, ctx);
  registerMetricsRoutes(server, ctx);
  // The reader's pages get only the subscription service and the settings they show.
  const { subscriptions } = app;
  const { digest, confirmTtlHours } = app.config;
  const signupDeps = { subscriptions, digest, latestEditionKey: async () => (await app.store.editions.listSent(1))[0]?.key };
  registerSignupRoutes(server, ctx, signupDeps);
  registerConfirmRoutes(server, ctx, { subscriptions, digest, confirmTtlHours });
  registerPreferencesRoutes(server, ctx, { subscriptions, digest });
  registerMyDataRoutes(server, ctx, { subscriptions, digest });
  registerUnsubscribeRoutes(server, ctx, { subscriptions });
  registerArchiveRoutes(server, ctx);
  registerArticlePages(server, ctx);
  registerFollowRoutes(server, ctx, signupDeps);
  await registerAdminRoutes(server, ctx);
  await registerApiRoutes(server, ctx);
  await registerAdminApiRoutes(server, ctx);
  await registerWebhookRoutes(server, ctx, options.webhooks);
  await server.ready();
  return server;
}

/**
 * Fastify turns off Node's request timeout by default, so a client that sends its body one byte
 * every few seconds holds a connection (and a file descriptor) forever; enough of them starve the
 * server. `requestTimeout` bounds the whole request, `connectionTimeout` an idle socket. Node
 * checks the request deadline on a timer (30 s by default), which is tightened to suit short limits.
 */
function slowClientTimeouts(web: { requestTimeoutSeconds: number; idleTimeoutSeconds: number }) {
  const requestTimeout = web.requestTimeoutSeconds * 1000;
  return {
    requestTimeout,
    connectionTimeout: web.idleTimeoutSeconds * 1000,
    http: { headersTimeout: Math.min(60_000, requestTimeout), connectionsCheckingInterval: Math.max(250, Math.min(30_000, requestTimeout / 4)) },
  };
}

/** A running web server. */
export interface RunningWebServer {
  /** Where it listens, e.g. http://0.0.0.0:3000. */
  url: string;
  /** Stops accepting connections and waits for open requests. */
  close(): Promise<void>;
}

/** Builds the server and listens on `config.web.port`/`host` (or the given overrides). */
export async function startWebServer(app: App, listen: { port?: number; host?: string } = {}, options: BuildServerOptions = {}): Promise<RunningWebServer> {
  const server = await buildServer(app, options);
  const url = await server.listen({ port: listen.port ?? app.config.web.port, host: listen.host ?? app.config.web.host });
  return { url, close: () => server.close() };
}
