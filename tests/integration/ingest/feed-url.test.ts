import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../../src/errors.js';
import { fetchText } from '../../../src/ingest/fetch-source.js';
import { importArticles } from '../../../src/ingest/import-articles.js';
import { silentLogger } from '../../../src/logger.js';
import { createApp, type App } from '../../../src/main.js';
import { databasePerTest, testDialects } from '../../helpers/dialects.js';
import { tempDir, testConfig } from '../../helpers/env.js';
import { atomFeed, rssFeed } from '../../helpers/feed-fixture.js';
import { startFixtureServer } from '../../helpers/http-fixture-server.js';

let server: Awaited<ReturnType<typeof startFixtureServer>>;
let app: App;
let cleanup: () => void;
const now = new Date('2025-03-04T00:00:00Z');

beforeAll(async () => {
  server = await startFixtureServer({
    '/world.rss': {
      body: rssFeed([
        { title: 'Summit ends without a deal', link: 'https://gazette.example/summit', description: 'NATO leaders part ways.', categories: ['World'], pubDate: 'Mon, 03 Mar 2025 10:00:00 GMT' },
        { title: 'Chip makers rally', link: 'https://gazette.example/chips', description: '<p>Semiconductor shares jumped.</p>', content: '<p>Chip stocks rose on AI demand.</p>' },
        { title: 'Local bakery turns 100', link: 'https://gazette.example/bakery', description: 'Cakes all round.' },
      ]),
    },
    '/taiwan': { type: 'application/atom+xml', body: atomFeed([{ id: 'urn:t:1', title: 'Taipei hosts talks', link: 'https://gazette.example/taipei', summary: 'Cross-strait talks.' }]) },
    '/gone.rss': { status: 410, body: 'gone' },
    '/huge.rss': { body: 'x'.repeat(5000) },
    '/slow.rss': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.write('<rss>'); // never finishes
    },
  });
});
afterAll(async () => {
  await server.close();
});
describe.each(testDialects())('importing feeds by URL (local server), on %s', (dialect) => {
  const database = databasePerTest(dialect);
  beforeEach(async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    app = await createApp(testConfig(t.dir, { DATABASE_URL: await database.cleanUrl(t.dir) }), { logger: silentLogger });
  });
  afterEach(async () => {
    await app.close();
    cleanup();
  });

  it('fetches RSS and Atom, maps categories to topics and tags the rest by keyword', async () => {
    const reports = await importArticles(app.store, [server.url('/world.rss'), server.url('/taiwan')], { now });
    expect(reports.map((r) => [r.format, r.inserted, r.untagged, r.error])).toEqual([
      ['feed', 3, 1, undefined],
      ['feed', 1, 0, undefined],
    ]);
    const byUrl = new Map((await app.store.articles.list()).map((a) => [a.url, a]));
    expect(byUrl.get('https://gazette.example/summit')).toMatchObject({ topics: ['world'], publishedAt: '2025-03-03T10:00:00.000Z', source: 'The Example Gazette' });
    expect(byUrl.get('https://gazette.example/chips')).toMatchObject({ topics: ['tech'], summary: 'Semiconductor shares jumped.', body: 'Chip stocks rose on AI demand.' });
    expect(byUrl.get('https://gazette.example/bakery')?.topics).toEqual([]);
    expect(byUrl.get('https://gazette.example/taipei')?.topics).toEqual(['taiwan']);

    const again = await importArticles(app.store, [server.url('/world.rss')], { now });
    expect(again[0]).toMatchObject({ inserted: 0, updated: 3 });
    expect(await app.store.articles.count()).toBe(4);
  });

  it('reports an HTTP error status, naming the URL, and still imports the other sources', async () => {
    const reports = await importArticles(app.store, [server.url('/gone.rss'), server.url('/taiwan')], { now });
    expect(reports[0]!.error?.code).toBe('FEED_FETCH_FAILED');
    expect(reports[0]!.error?.message).toBe(`${server.url('/gone.rss')}: the server answered HTTP 410 Gone`);
    expect(reports[1]).toMatchObject({ inserted: 1 });
  });

  it('enforces the size limit and the timeout', async () => {
    const tooBig = await fetchText(server.url('/huge.rss'), { maxBytes: 1000 }).catch((e: unknown) => e);
    expect(isAppError(tooBig, 'FEED_FETCH_FAILED')).toBe(true);
    expect((tooBig as Error).message).toMatch(/over the 1000-byte limit/);

    const slow = await fetchText(server.url('/slow.rss'), { timeoutMs: 200 }).catch((e: unknown) => e);
    expect(isAppError(slow, 'FEED_FETCH_FAILED')).toBe(true);
    expect((slow as Error).message).toBe(`${server.url('/slow.rss')}: timed out after 0.2 s`);
  });

  it('reports a refused connection', async () => {
    const err = await fetchText('http://127.0.0.1:1/feed.rss', { timeoutMs: 2000 }).catch((e: unknown) => e);
    expect(isAppError(err, 'FEED_FETCH_FAILED')).toBe(true);
    expect((err as Error).message).toMatch(/^http:\/\/127\.0\.0\.1:1\/feed\.rss: request failed/);
  });
});
