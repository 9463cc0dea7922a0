import { describe, expect, it } from 'vitest';
import { importArticleText } from '../../../../src/ingest/import-articles.js';
import { signedInEachTest, type AdminBrowser } from '../../../helpers/admin-browser.js';
import { seedWorld } from '../../../helpers/digest-world.js';
import { rssFeed, type RssItemParts } from '../../../helpers/feed-fixture.js';
import { startFixtureServer, type Route } from '../../../helpers/http-fixture-server.js';
import { encodeForm, type FormFields, type WebHarness } from '../../../helpers/web-harness.js';

/**
 * /admin/articles: recent articles, paged, with source, time, topics and withdrawal; and a hand
 * fix of an article's topics that survives the source being polled and imported again.
 */

const ADMIN = 'editor@example.com';
const NOW = new Date('2026-11-20T08:00:00Z');
let h: WebHarness;
let b: AdminBrowser;
signedInEachTest(ADMIN, (harness, browser) => ((h = harness), (b = browser)));

/** POSTs fields (repeatable ones as arrays) with the CSRF token of the page `from`, as the browser would. */
async function submit(from: string, url: string, fields: FormFields) {
  const page = await b.get(from);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  return h.server.inject({ method: 'POST', url, cookies: b.jar, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: encodeForm({ _csrf: csrf, ...fields }) });
}

const rows = (html: string) => [...html.matchAll(/<td><a href="\/admin\/articles\/(\d+)">([^<]*)<\/a>/g)].map((m) => m[2]);

describe('articles page', () => {
  it('pages through recent articles, newest first, with their topics, marking withdrawn ones', async () => {
    const { articleIds } = await seedWorld(h.app, NOW, {
      articles: Array.from({ length: 55 }, (_, i) => ({ title: `Story ${i}`, topics: i % 2 ? ['tech'] : ['world', 'sport'], minutesAgo: i + 1 })),
    });
    await h.app.store.transaction((tx) => tx.articles.withdraw(articleIds[1]!, NOW.toISOString()));
    const first = await b.get('/admin/articles');
    expect(first.statusCode).toBe(200);
    expect(rows(first.body)).toEqual(Array.from({ length: 50 }, (_, i) => `Story ${i}`));
    expect(first.body).toContain('Story 1</a> <strong class="badge">Withdrawn</strong>');
    expect(first.body.match(/Withdrawn/g)).toHaveLength(1);
    expect(first.body).toContain('<td>World, Sport</td>');
    expect(first.body).toContain('Test Wire');
    expect(first.body).toContain('href="/admin/articles?page=2"');
    const second = await b.get('/admin/articles?page=2');
    expect(rows(second.body)).toEqual(['Story 50', 'Story 51', 'Story 52', 'Story 53', 'Story 54']);
    expect(second.body).not.toContain('page=3');
    expect(second.body).toContain('href="/admin/articles?page=1"');
    expect((await b.get('/admin/articles?page=-4')).statusCode).toBe(200);
    // One topic's articles, paged with the filter kept; an unknown topic lists them all.
    const tech = await b.get('/admin/articles?topic=tech');
    expect(rows(tech.body)).toEqual(Array.from({ length: 27 }, (_, i) => `Story ${2 * i + 1}`));
    expect(tech.body).toContain('Only articles tagged <strong>Tech</strong>');
    const sport = await b.get('/admin/articles?topic=sport');
    expect(rows(sport.body)).toHaveLength(28);
    expect((await b.get('/admin/articles?topic=nope')).body).not.toContain('Only articles tagged');
    expect(rows((await b.get('/admin/articles?topic=nope')).body)).toHaveLength(50);
    expect((await b.get('/admin/topics')).body).toContain('href="/admin/articles?topic=tech"');
  });

  it('fixes an article\'s topics by hand, and the fix survives re-polls and re-imports', async () => {
    const items: RssItemParts[] = [
      // Keyed by URL, so the file import below finds the same stored story.
      { title: 'Harbour reopens', link: 'https://gazette.example/harbour', categories: ['World'] },
      { title: 'Chip fab opens', link: 'https://gazette.example/fab', categories: ['Tech'] },
    ];
    const routes: Record<string, Route> = { '/feed.rss': { body: rssFeed(items) } };
    const feeds = await startFixtureServer(routes);
    try {
      const source = (await h.app.store.sources.add({ url: feeds.url('/feed.rss'), name: 'Gazette', topics: [], everySeconds: 900 }, NOW.toISOString()))!;
      await b.get('/admin/sources');
      expect((await b.post(`/admin/sources/${source.id}/poll`)).statusCode).toBe(200);
      const [harbour, fab] = (await h.app.store.articles.recent({ limit: 10 })).sort((x, y) => x.title.localeCompare(y.title)).reverse();
      expect(harbour!.topics).toEqual(['world']);

      const page = await b.get(`/admin/articles/${harbour!.id}`);
      expect(page.body).toMatch(/id="topic-world" name="topics" value="world" checked/);
      const r = await submit(`/admin/articles/${harbour!.id}`, `/admin/articles/${harbour!.id}/topics`, { topics: ['climate', 'asia'] });
      expect(r.statusCode).toBe(303);
      expect(r.headers.location).toBe(`/admin/articles/${harbour!.id}?done=1`);
      const fixed = (await h.app.store.articles.byId(harbour!.id))!;
      expect(fixed.topics).toEqual(['asia', 'climate']);
      expect(fixed.topicsFixedBy).toBe(ADMIN);
      expect((await b.get(`/admin/articles/${harbour!.id}?done=1`)).body).toContain(`fixed by hand by ${ADMIN}`);

      // The same feed again (nothing changed), then a changed one: the story's text updates, its topics stay.
      await b.post(`/admin/sources/${source.id}/poll`);
      items[0] = { ...items[0], title: 'Harbour reopens after the storm', categories: ['World', 'Business'] };
      items[1] = { ...items[1], categories: ['Business'] };
      routes['/feed.rss'] = { body: rssFeed(items) };
      await b.get('/admin/sources');
      expect((await b.post(`/admin/sources/${source.id}/poll`)).body).toContain('2 updated');
      const after = (await h.app.store.articles.byId(harbour!.id))!;
      expect(after.title).toBe('Harbour reopens after the storm');
      expect(after.topics).toEqual(['asia', 'climate']);
      // The control: a story nobody fixed follows its source.
      expect((await h.app.store.articles.byId(fab!.id))!.topics).toEqual(['business']);

      // A file import of the same story, tagged by keywords this time, keeps the fix too.
      const json = JSON.stringify([{ url: 'https://gazette.example/harbour', title: 'Harbour reopens: football match moved', body: 'The football league moved the match.' }]);
      const report = await importArticleText(h.app.store, 'harbour.json', json, { now: NOW });
      expect(report.ids).toEqual([harbour!.id]);
      const reimported = (await h.app.store.articles.byId(harbour!.id))!;
      expect(reimported.title).toBe('Harbour reopens: football match moved');
      expect(reimported.topics).toEqual(['asia', 'climate']);
      expect(await h.app.store.articles.count()).toBe(2);

      // Clearing every box is a fix too: no topics, and it stays so.
      await submit(`/admin/articles/${harbour!.id}`, `/admin/articles/${harbour!.id}/topics`, {});
      await importArticleText(h.app.store, 'harbour.json', json, { now: NOW });
      expect((await h.app.store.articles.byId(harbour!.id))!.topics).toEqual([]);

      // Handing it back: the next import sets its topics from the story again.
      await b.get(`/admin/articles/${harbour!.id}`);
      expect((await b.post(`/admin/articles/${harbour!.id}/release`, {}, false)).statusCode).toBe(403);
      expect((await b.post(`/admin/articles/${harbour!.id}/release`)).statusCode).toBe(303);
      expect((await b.get(`/admin/articles/${harbour!.id}?done=released`)).body).toContain('no longer kept');
      await importArticleText(h.app.store, 'harbour.json', json, { now: NOW });
      const released = (await h.app.store.articles.byId(harbour!.id))!;
      expect(released.topics).toEqual(['sport']);
      expect(released.topicsFixedAt).toBeUndefined();
    } finally {
      await feeds.close();
    }
  });

  it('refuses unknown topics, forms without CSRF, and unknown articles', async () => {
    const { articleIds } = await seedWorld(h.app, NOW, { articles: [{ title: 'Harbour reopens', topics: ['world'] }] });
    const id = articleIds[0]!;
    expect((await submit(`/admin/articles/${id}`, `/admin/articles/${id}/topics`, { topics: ['world', 'no-such'] })).statusCode).toBe(400);
    await b.get(`/admin/articles/${id}`);
    expect((await b.post(`/admin/articles/${id}/topics`, { topics: 'sport' }, false)).statusCode).toBe(403);
    const stored = (await h.app.store.articles.byId(id))!;
    expect(stored.topics).toEqual(['world']);
    expect(stored.topicsFixedAt).toBeUndefined();
    expect((await b.get('/admin/articles/999')).statusCode).toBe(404);
    expect((await b.get('/admin/articles/x')).statusCode).toBe(404);
    expect((await b.post('/admin/articles/999/topics', { topics: 'sport' })).statusCode).toBe(404);
  });

  it('shows a hostile title as text', async () => {
    const { articleIds } = await seedWorld(h.app, NOW, { articles: [{ title: '<script>alert(1)</script>', topics: ['world'] }] });
    for (const url of ['/admin/articles', `/admin/articles/${articleIds[0]}`]) {
      const page = await b.get(url);
      expect(page.body).not.toContain('<script>alert');
      expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
  });

  it('is closed without a session', async () => {
    expect((await h.get('/admin/articles')).statusCode).toBe(302);
    expect((await h.get('/admin/articles/1')).statusCode).toBe(302);
  });
});
