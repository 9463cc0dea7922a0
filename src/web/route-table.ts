import type { FastifyInstance } from 'fastify';

/** One registered route: its method and URL pattern (e.g. `/admin/webhooks/:id`). */
export interface RouteEntry {
  method: string;
  url: string;
}

/**
 * Records every route registered after this call, in every plugin scope, on `server.routeTable`.
 * Security checks iterate it (every /admin page refuses strangers, every form wants CSRF), so a
 * page added later is covered without anyone remembering to list it.
 */
export function trackRoutes(server: FastifyInstance): void {
  const routes: RouteEntry[] = [];
  server.decorate('routeTable', routes);
  server.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) routes.push({ method, url: r.url });
  });
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered, in order (see {@link trackRoutes}). */
    routeTable: readonly RouteEntry[];
  }
}
