import type { FastifyInstance } from 'fastify';
import { newWebhookSecret } from '../../src/deliver/webhook-events.js';
import type { App } from '../../src/main.js';
import type { RouteEntry } from '../../src/web/route-table.js';
import { seedWorld } from './digest-world.js';

/**
 * What the console sweeps share: a world whose every operator-visible text is hostile markup, the
 * console routes the server registered (so pages added later are swept without being listed),
 * and concrete URLs for each route pattern.
 */

/** Stored values an attacker controls, each a complete piece of markup that would run if live. */
export const HOSTILE = {
  readerName: '<script>alert(1)</script>',
  articleTitle: '<img src=x onerror=alert(2)>',
  topicName: '<b onmouseover=alert(3)>World</b>',
  sourceName: '<svg onload=alert(4)>',
  webhookUrl: 'https://hooks.example/"><script>alert(5)</script>',
};

/** Routes that must answer without a session: signing in and out. */
export const OPEN_ADMIN_ROUTES = ['GET /admin/login', 'POST /admin/login', 'GET /admin/login/:token', 'POST /admin/login/:token', 'POST /admin/logout'];

/**
 * Seeds a reader, article, topic, source and webhook with {@link HOSTILE} texts, runs today's
 * digest (so editions exist) and leaves one delivery uncertain (so the deliveries page has a row).
 * Returns every id and key a route parameter might take.
 */
export async function seedHostileWorld(app: App): Promise<string[]> {
  const { store } = app;
  const now = new Date();
  await store.topics.upsert([{ slug: 'world', name: HOSTILE.topicName, description: HOSTILE.topicName }], now.toISOString());
  await seedWorld(app, now, {
    articles: [{ title: HOSTILE.articleTitle, topics: ['world'], minutesAgo: 30 }],
    readers: [{ email: 'xss@example.com', name: HOSTILE.readerName, topics: ['world'] }, { email: 'plain@example.com', topics: ['world'] }],
  });
  await store.sources.add({ url: 'https://feeds.example/rss', name: HOSTILE.sourceName, topics: ['world'], everySeconds: 3600 }, now.toISOString());
  // Straight into the store, past the URL check, as a hostile database row would be.
  await store.webhooks.add(HOSTILE.webhookUrl, ['subscriber.created'], newWebhookSecret(), now.toISOString());
  await store.webhooks.enqueue('subscriber.created', '{}', 'msg_sweep', now.toISOString());
  await app.runDigest({ now, force: true });
  const victim = await store.db.selectFrom('deliveries').select('id').where('status', '=', 'sent').orderBy('id').executeTakeFirstOrThrow();
  await store.db.updateTable('deliveries').set({ status: 'sending', lease_owner: 'gone', lease_until: null, finished_at: null }).where('id', '=', victim.id).execute();
  return sampleValues(app);
}

/** Every value a route parameter might take: each table's ids and keys. */
async function sampleValues(app: App): Promise<string[]> {
  const db = app.store.db;
  const ids = async (table: 'subscribers' | 'webhooks' | 'sources' | 'articles' | 'deliveries' | 'webhook_deliveries') => (await db.selectFrom(table).select('id').execute()).map((r) => String(r.id));
  const keys = (await db.selectFrom('editions').select('key').execute()).map((r) => r.key);
  const slugs = (await db.selectFrom('topics').select('slug').execute()).map((r) => r.slug);
  const tables = ['subscribers', 'webhooks', 'sources', 'articles', 'deliveries', 'webhook_deliveries'] as const;
  return [...new Set([...(await Promise.all(tables.map(ids))).flat(), ...keys, ...slugs])];
}

/** The console's routes with `method` (not the catch-all), as registered on `server`. */
export function adminRoutes(server: FastifyInstance, method: string): RouteEntry[] {
  return server.routeTable.filter((r) => r.method === method && (r.url === '/admin' || r.url.startsWith('/admin/')) && !r.url.endsWith('*'));
}

/** `GET /admin/x`, as the open-route list writes it. */
export const routeLabel = (r: RouteEntry) => `${r.method} ${r.url}`;

/** Every concrete URL for a pattern: each parameter filled with each sample value. */
export function urlsFor(pattern: string, samples: readonly string[]): string[] {
  let urls = [pattern];
  for (const param of pattern.match(/:[A-Za-z]+/g) ?? []) {
    urls = urls.flatMap((u) => samples.map((v) => u.replace(param, encodeURIComponent(v))));
  }
  return urls;
}
