import type { IncomingMessage, ServerResponse } from 'node:http';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BACKOFF_MS, nextPollDelayMs, pollSources } from '../../../src/ingest/poll-sources.js';
import type { App } from '../../../src/main.js';
import { appPerTest } from '../../helpers/app-per-test.js';
import { testDialects } from '../../helpers/dialects.js';
import { rssFeed } from '../../helpers/feed-fixture.js';
import { startFixtureServer } from '../../helpers/http-fixture-server.js';

const hits: Record<string, IncomingMessage[]> = {};
const state = { changing: 1 };
let server: Awaited<ReturnType<typeof startFixtureServer>>;

function record(path: string, handler: (req: IncomingMessage, res: ServerResponse) => void) {
  return (req: IncomingMessage, res: ServerResponse) => {
    (hits[path] ??= []).push(req);
    handler(req, res);
  };
}

const etagFeed = rssFeed([{ title: 'Port volumes hit a record', guid: 'port-1', link: 'https://gazette.example/port', pubDate: 'Mon, 03 Mar 2025 10:00:00 GMT' }]);
const lmFeed = rssFeed([{ title: 'Rail strike called off', guid: 'rail-1', link: 'https://gazette.example/rail' }]);
const LAST_MODIFIED = 'Mon, 03 Mar 2025 10:00:00 GMT';

beforeAll(async () => {
  server = await startFixtureServer({
    '/etag.rss': record('/etag.rss', (req, res) => {
      if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304, { etag: '"v1"' }).end();
      res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"v1"' }).end(etagFeed);
    }),
    '/lm.rss': record('/lm.rss', (req, res) => {
      if (req.headers['if-modified-since'] === LAST_MODIFIED) return void res.writeHead(304).end();
      res.writeHead(200, { 'content-type': 'application/rss+xml', 'last-modified': LAST_MODIFIED, 'cache-control': 'public, max-age=3600' }).end(lmFeed);
    }),
    '/broken.rss': record('/broken.rss', (_req, res) => res.writeHead(500, { 'retry-after': '7200' }).end('oops')),
    '/slow.rss': record('/slow.rss', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.write('<rss>'); // never finishes
    }),
    '/changing.rss': record('/changing.rss', (_req, res) => {
      const items = [{ title: state.changing === 1 ? 'Draft headline' : 'Final headline', guid: 'chg-1', link: `https://gazette.example/chg-v${state.changing}` }];
      if (state.changing > 1) items.push({ title: 'A second story', guid: 'chg-2', link: 'https://gazette.example/chg-2' });
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssFeed(items));
    }),
    '/gzip.rss': record('/gzip.rss', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip' }).end(gzipSync(rssFeed([{ title: 'Zipped story', guid: 'gz-1' }])));
    }),
    '/br.rss': record('/br.rss', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'br' }).end(brotliCompressSync(rssFeed([{ title: 'Brotli story', guid: 'br-1' }])));
    }),
    '/latin1.xml': record('/latin1.xml', (_req, res) => {
      const doc = rssFeed([{ title: 'São Paulo café reopens', guid: 'lat-1' }]).replace('encoding="UTF-8"', 'encoding="ISO-8859-1"');
      res.writeHead(200, { 'content-type': 'application/xml' }).end(Buffer.from(doc, 'latin1'));
    }),
    '/story.html': record('/story.html', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><html><head><title>Site</title>
<meta property="og:image" content="/img/dam.jpg"><meta property="og:description" content="The dam will supply 40,000 homes."></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav><article><h1>River dam opens after decade of delays</h1>
<figure><img src="/img/dam.jpg"><figcaption>Engineers at the dam wall on May 2, 2025. PHOTO: DAM AUTHORITY</figcaption></figure>
<p>LOWMOOR - The Lowmoor river dam opened on Friday, ten years late.</p><p>It cost twice the first estimate.</p></article>
<footer>© Site</footer></body></html>`);
    }),
    '/cut.rss': { body: rssFeed([{ title: 'Whole item', guid: 'c-1' }, { title: 'Cut item', guid: 'c-2' }]).slice(0, -60) },
    '/bad-date.rss': { body: rssFeed([{ title: 'Fine', guid: 'd-1' }, { title: 'Leap', guid: 'd-2', pubDate: 'Sun, 30 Feb 2025 10:00:00 GMT' }]) },
    '/home.html': { type: 'text/html', body: '<!doctype html><html><head><title>Home</title></head><body><nav>Menu</nav><p>Welcome.</p></body></html>' },
    '/feed.json': record('/feed.json', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/feed+json' }).end(JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'JSON Gazette', items: [{ id: 'j1', title: 'JSON story', content_text: 'Body.' }] }));
    }),
  });
});
afterAll(() => server.close());

const t0 = new Date('2025-03-04T08:00:00Z');
const at = (ms: number) => () => new Date(t0.getTime() + ms);

describe.each(testDialects())('polling sources over HTTP on %s', (dialect) => {
  let app: App;
  appPerTest(dialect, (a) => (app = a));
  const add = async (path: string, extra: { topics?: string[]; everySeconds?: number } = {}) =>
    (await app.store.sources.add({ url: server.url(path), name: null, topics: extra.topics ?? [], everySeconds: extra.everySeconds ?? 900 }, t0.toISOString()))!;

  it('sends If-None-Match back and a 304 writes no article', async () => {
    const s = await add('/etag.rss', { topics: ['china'] });
    hits['/etag.rss'] = [];
    const [first] = await pollSources(app.store, { now: at(0), userAgent: 'topic-digest/0.1 (+https://news.example)' });
    expect(first).toMatchObject({ status: '200', inserted: 1, items: 1 });
    const [stored] = await app.store.articles.list();
    expect(stored!.topics).toContain('china');
    const [second] = await pollSources(app.store, { now: at(901_000) });
    expect(second).toMatchObject({ status: '304', inserted: 0, updated: 0 });
    expect(hits['/etag.rss']![1]!.headers['if-none-match']).toBe('"v1"');
    expect(hits['/etag.rss']![0]!.headers['user-agent']).toContain('https://news.example');
    const [after] = await app.store.articles.list();
    expect(after).toEqual(stored); // not even updated_at moved
    const [src] = await app.store.sources.list();
    expect(src).toMatchObject({ id: s.id, lastStatus: '304', failures: 0 });
  });

  it('sends If-Modified-Since back and honours Cache-Control max-age', async () => {
    await add('/lm.rss', { everySeconds: 60 });
    hits['/lm.rss'] = [];
    const [first] = await pollSources(app.store, { now: at(0) });
    expect(first!.nextDueAt).toBe(new Date(t0.getTime() + 3_600_000).toISOString());
    expect(await pollSources(app.store, { now: at(120_000) })).toEqual([]); // not due: max-age holds it back
    const [second] = await pollSources(app.store, { now: at(3_600_000) });
    expect(second!.status).toBe('304');
    expect(hits['/lm.rss']![1]!.headers['if-modified-since']).toBe(LAST_MODIFIED);
  });

  it('keeps a 500 and a timeout on their sources, backs off, and still polls the others', async () => {
    const broken = await add('/broken.rss');
    const slow = await add('/slow.rss');
    await add('/gzip.rss');
    const reports = await pollSources(app.store, { now: at(0), timeoutMs: 300 });
    expect(reports.map((r) => r.status)).toEqual(['500', 'error', '200']);
    expect(reports[1]!.error).toMatch(/timed out/);
    const byId = new Map((await app.store.sources.list()).map((s) => [s.id, s]));
    expect(byId.get(broken.id)).toMatchObject({ lastStatus: '500', failures: 1 });
    expect(byId.get(broken.id)!.lastError).toMatch(/HTTP 500/);
    // Retry-After: 7200 beats the 30-minute backoff.
    expect(byId.get(broken.id)!.nextDueAt).toBe(new Date(t0.getTime() + 7_200_000).toISOString());
    expect(byId.get(slow.id)).toMatchObject({ lastStatus: 'error', failures: 1 });
    expect(byId.get(slow.id)!.nextDueAt).toBe(new Date(t0.getTime() + 1_800_000).toISOString());
    expect((await app.store.articles.list()).map((a) => a.title)).toEqual(['Zipped story']);
  });

  it('updates a changed item in place, keeping first_seen_at, and adds new ones', async () => {
    state.changing = 1;
    await add('/changing.rss', { everySeconds: 60 });
    await pollSources(app.store, { now: at(0) });
    const [v1] = await app.store.articles.list();
    state.changing = 2;
    const [r] = await pollSources(app.store, { now: at(60_000) });
    expect(r).toMatchObject({ inserted: 1, updated: 1 });
    const all = await app.store.articles.list();
    const v2 = all.find((a) => a.id === v1!.id)!;
    expect(v2).toMatchObject({ title: 'Final headline', url: 'https://gazette.example/chg-v2', firstSeenAt: v1!.firstSeenAt });
    expect(all).toHaveLength(2);
  });

  it('reads an HTML article page as one story linked to the page', async () => {
    await add('/story.html');
    const [r] = await pollSources(app.store, { now: at(0) });
    expect(r).toMatchObject({ status: '200', items: 1, inserted: 1 });
    const [a] = await app.store.articles.list();
    expect(a).toMatchObject({
      url: server.url('/story.html'),
      title: 'River dam opens after decade of delays',
      summary: 'The dam will supply 40,000 homes.',
      image: { url: server.url('/img/dam.jpg'), caption: 'Engineers at the dam wall on May 2, 2025.', credit: 'DAM AUTHORITY' },
      publishedAt: '2025-05-02T00:00:00.000Z',
    });
    expect(a!.body).not.toMatch(/Home|World|© Site/);
    await add('/home.html');
    const [home] = await pollSources(app.store, { now: at(0) });
    expect(home!.error).toMatch(/no article headline/);
    expect(await app.store.articles.count()).toBe(1);
  });

  it('refuses a truncated feed and an impossible date whole, keeping the reason on the source', async () => {
    await add('/cut.rss');
    await add('/bad-date.rss');
    const [cut, date] = await pollSources(app.store, { now: at(0) });
    expect(cut).toMatchObject({ status: 'error', inserted: 0 });
    expect(cut!.error).toMatch(/not well-formed XML at line \d+, column \d+/);
    expect(date!.error).toMatch(/item 2: date/);
    expect(await app.store.articles.count()).toBe(0);
    expect((await app.store.sources.list()).map((s) => s.failures)).toEqual([1, 1]);
  });

  it('reads br, ISO-8859-1 and JSON Feed sources', async () => {
    await add('/br.rss');
    await add('/latin1.xml');
    await add('/feed.json');
    const reports = await pollSources(app.store, { now: at(0) });
    expect(reports.map((r) => r.error)).toEqual([null, null, null]);
    expect((await app.store.articles.list()).map((a) => a.title).sort()).toEqual(['Brotli story', 'JSON story', 'São Paulo café reopens']);
  });
});

describe('nextPollDelayMs', () => {
  it('backs off exponentially to 6 hours and resets on success', () => {
    expect(nextPollDelayMs(900, { failures: 0 })).toBe(900_000);
    expect(nextPollDelayMs(900, { failures: 1 })).toBe(1_800_000);
    expect(nextPollDelayMs(900, { failures: 3 })).toBe(7_200_000);
    expect(nextPollDelayMs(900, { failures: 30 })).toBe(MAX_BACKOFF_MS);
    expect(nextPollDelayMs(60, { failures: 0, maxAgeMs: 600_000 })).toBe(600_000);
  });
});
