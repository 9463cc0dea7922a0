import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adminBrowser, type AdminBrowser } from '../../../helpers/admin-browser.js';
import { rssFeed } from '../../../helpers/feed-fixture.js';
import { startFixtureServer } from '../../../helpers/http-fixture-server.js';
import { startWebHarness, type WebHarness } from '../../../helpers/web-harness.js';

/** /admin/sources: each source's status, and "Poll now" for one source. */

const ADMIN = 'editor@example.com';
let h: WebHarness;
let b: AdminBrowser;
let feeds: Awaited<ReturnType<typeof startFixtureServer>>;
beforeEach(async () => {
  feeds = await startFixtureServer({
    '/good.rss': { type: 'application/rss+xml', body: rssFeed([{ title: 'Harbour reopens', link: 'https://gazette.example/harbour', guid: 'h1' }]) },
    '/broken.rss': { status: 500, body: 'down' },
  });
  h = await startWebHarness({ ADMIN_EMAILS: ADMIN });
  b = await adminBrowser(h, ADMIN);
});
afterEach(async () => {
  await h.close();
  await feeds.close();
});

const add = async (path: string, name: string | null) =>
  (await h.app.store.sources.add({ url: feeds.url(path), name, topics: ['world'], everySeconds: 900 }, new Date().toISOString()))!;

describe('sources page', () => {
  it('lists sources and polls just the one asked for, showing the outcome', async () => {
    const good = await add('/good.rss', '<b>Gazette</b>');
    const broken = await add('/broken.rss', null);
    const page = await b.get('/admin/sources');
    expect(page.body).toContain('never polled');
    expect(page.body).toContain('&lt;b&gt;Gazette&lt;/b&gt;');
    const r = await b.post(`/admin/sources/${good.id}/poll`);
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('1 new');
    expect((await h.app.store.articles.list({})).map((a) => a.title)).toContain('Harbour reopens');
    // Only that source was polled.
    expect((await h.app.store.sources.find(String(broken.id)))!.lastStatus).toBeNull();
    const failed = await b.post(`/admin/sources/${broken.id}/poll`);
    expect(failed.body).toContain('notice-error');
    expect((await h.app.store.sources.find(String(broken.id)))!.failures).toBe(1);
  });

  it('needs CSRF, and an unknown source is 404', async () => {
    const good = await add('/good.rss', null);
    await b.get('/admin/sources');
    expect((await b.post(`/admin/sources/${good.id}/poll`, {}, false)).statusCode).toBe(403);
    expect((await h.app.store.sources.find(String(good.id)))!.lastStatus).toBeNull();
    expect((await b.post('/admin/sources/999/poll')).statusCode).toBe(404);
  });
});
