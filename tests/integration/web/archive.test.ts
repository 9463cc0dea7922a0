import { XMLParser } from 'fast-xml-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedWorld } from '../../helpers/digest-world.js';
import { startWebHarness, type WebHarness } from '../../helpers/web-harness.js';

/**
 * The archive: editions that reached a reader, each as a web page in the site layout built from
 * its stories (no email-only parts, nothing personal), per-topic lists and an Atom feed.
 */

const NOW = new Date('2026-11-26T08:00:00Z');
let h: WebHarness;
beforeEach(async () => {
  h = await startWebHarness();
});
afterEach(async () => {
  await h.close();
});

/** Sends a real digest through the real pipeline, so the archive sees real editions and ledger rows. */
async function sendOne(): Promise<string> {
  await seedWorld(h.app, NOW, {
    articles: [
      { title: 'Ceasefire talks resume in Geneva', topics: ['ukraine-war'], summary: 'Envoys met for six hours.', image: { url: 'https://cdn.news.example/geneva.jpg', caption: 'Delegates arrive.', credit: 'A. Photographer' } },
      { title: 'Chip export rules tightened', topics: ['tech'], url: 'https://news.example/chips?a=1&b=2' },
    ],
    readers: [{ email: 'reader.private@example.com', topics: ['ukraine-war', 'tech'], timezone: 'UTC', name: 'Private Name' }],
  });
  const summary = await h.app.runDigest({ now: NOW, force: true });
  expect(summary.sent).toBe(1);
  const [edition] = await h.app.store.editions.listSent(1);
  return edition!.key;
}

describe('archive', () => {
  it('says so when nothing has been sent', async () => {
    const r = await h.get('/archive');
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('No digests have been sent yet.');
  });

  it('serves an edition as a site page: title, h1, the stories, a subscribe call to action, no email-only parts', async () => {
    const key = await sendOne();
    const r = await h.get(`/archive/${key}`);
    expect(r.statusCode).toBe(200);
    expect(r.body).toMatch(/<title>Topic Digest, Thursday 26 November 2026 · /);
    expect(r.body).toMatch(/<h1>Topic Digest, Thursday 26 November 2026<\/h1>/);
    expect(r.body).toContain('<a class="brand" href="/">');
    expect(r.body).toMatch(/<h3><a href="https:\/\/news\.example\/chips\?a(=|&#x3D;)1&amp;b(=|&#x3D;)2">Chip export rules tightened<\/a><\/h3>/);
    expect(r.body).toContain('Ceasefire talks resume in Geneva');
    expect(r.body).toContain('<figcaption>Delegates arrive. Photo: A. Photographer</figcaption>');
    expect(r.body).toMatch(/<a class="button" href="\/">Subscribe<\/a>/);
    for (const emailOnly of ['View in your browser', 'sent to', 'Unsubscribe', 'Manage your topics', '%%td:', 'reader.private@example.com', 'Private Name', '/preferences/', '/unsubscribe/']) {
      expect(r.body, emailOnly).not.toContain(emailOnly);
    }
  });

  it('a story the publisher withdrew leaves the edition page, the lists and the feed, subject included', async () => {
    const key = await sendOne();
    const [edition] = await h.app.store.editions.listSent(1);
    expect(edition!.subject).toContain('Ceasefire talks resume in Geneva');
    const id = (await h.app.store.articles.list({})).find((a) => a.title.startsWith('Ceasefire'))!.id;
    expect(await h.app.store.articles.withdraw(id, new Date().toISOString())).toMatchObject({ found: true });
    for (const path of [`/archive/${key}`, '/archive', '/archive/topic/tech', '/archive/feed.xml']) {
      const body = (await h.get(path)).body;
      expect(body, path).not.toContain('Ceasefire talks resume');
      expect(body, path).not.toContain('Envoys met for six hours');
    }
    expect((await h.get(`/archive/${key}`)).body).toContain('Chip export rules tightened');
    expect((await h.get('/archive')).body).toContain('Topic Digest, Thursday 26 November 2026');
  });

  it('lets the page load its story images: PUBLIC_URL origin and https, still no scripts from elsewhere', async () => {
    const key = await sendOne();
    const csp = String((await h.get(`/archive/${key}`)).headers['content-security-policy']);
    const img = /img-src ([^;]*)/.exec(csp)?.[1] ?? '';
    expect(img).toContain('https://digest.example');
    expect(img).toContain('https:');
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('lists sent editions, by topic too, and answers 404 for unknown editions and topics', async () => {
    const key = await sendOne();
    const index = await h.get('/archive');
    expect(index.body).toContain(`href="/archive/${key}"`);
    expect(index.body).toContain('href="/archive/topic/ukraine-war"');
    const topic = await h.get('/archive/topic/tech');
    expect(topic.statusCode).toBe(200);
    expect(topic.body).toContain(`href="/archive/${key}"`);
    const other = await h.get('/archive/topic/sport');
    expect(other.statusCode).toBe(200);
    expect(other.body).not.toContain(`href="/archive/${key}"`);
    expect((await h.get('/archive/topic/no-such-topic')).statusCode).toBe(404);
    expect((await h.get('/archive/nope')).statusCode).toBe(404);
  });

  it('does not publish an edition that reached nobody', async () => {
    await seedWorld(h.app, NOW, { articles: [{ title: 'Unsent story', topics: ['tech'] }], readers: [{ email: 'x@example.com', topics: ['tech'] }] });
    await h.app.runDigest({ now: NOW, force: true, dryRun: true });
    expect((await h.get('/archive')).body).not.toContain('Unsent story');
  });

  it('publishes an Atom feed of sent editions', async () => {
    const key = await sendOne();
    const r = await h.get('/archive/feed.xml');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/application\/atom\+xml/);
    const feed = new XMLParser({ ignoreAttributes: false }).parse(r.body) as { feed: { entry: { id: string; title: string; link: { '@_href': string } } } };
    expect(feed.feed.entry.id).toBe(`https://digest.example/archive/${key}`);
    expect(feed.feed.entry.link['@_href']).toBe(`https://digest.example/archive/${key}`);
    expect(feed.feed.entry.title).toContain('Ceasefire talks resume in Geneva');
  });

  it('the signup page links to a sample edition once one was sent', async () => {
    expect((await h.get('/')).body).not.toContain('See a sample edition');
    const key = await sendOne();
    expect((await h.get('/')).body).toContain(`<a href="/archive/${key}">See a sample edition</a>`);
  });
});
