import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../main.js';
import type { Store } from '../store/store.js';
import type { Pages } from './pages.js';
import type { AddressRateLimiter } from './rate-limit.js';

/** What every route group receives from {@link import('./server.js').buildServer}. */
export interface WebContext {
  app: App;
  pages: Pages;
  /** Limits signups and new-link requests per email address. */
  addressLimiter: AddressRateLimiter;
  /** Per-IP limit for POST routes that send mail, as @fastify/rate-limit route config. */
  mailRouteRateLimit: { max: number; timeWindow: number };
  /** The CSRF check for form POSTs, as a preHandler. */
  csrfProtection(request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void): void;
  /** Renders a page and sends it. */
  sendPage(reply: FastifyReply, page: PageResponse): FastifyReply;
}

/**
 * The page tools without the app: what a route registration receives when it is handed its
 * services separately, so it can reach only what it uses.
 */
export type PageKit = Omit<WebContext, 'app'>;

/**
 * What one route group may reach: the page tools, the named services of the app (`A`) and the
 * named repositories of its store (`S`). The server passes its whole {@link WebContext}; the
 * narrow type keeps each group from growing a dependency nobody sees at the call site.
 */
export type RouteContext<A extends Exclude<keyof App, 'store'> = never, S extends keyof Store = never> = PageKit & {
  app: Pick<App, A> & { store: Pick<Store, S> };
};

/** One page to send. */
export interface PageResponse {
  /** Template name under templates/pages/. */
  name: string;
  title: string;
  data?: object;
  status?: number;
  /** Public pages (signup, archive) may be cached; pages under a personal token never are. */
  cacheable?: boolean;
}

/** The path part of a URL we built, so pages link relative to wherever they are served. */
export function pathOf(url: string): string {
  const u = new URL(url);
  return u.pathname + u.search;
}

/** The page for a personal link that is forged, garbled or (with 410) expired; `message` says which link and what to do. */
export function sendBadLinkPage(ctx: Pick<WebContext, 'sendPage'>, reply: FastifyReply, message: string, status = 400): FastifyReply {
  return ctx.sendPage(reply, { name: 'link-problem', title: 'This link does not work', status, data: { message } });
}
