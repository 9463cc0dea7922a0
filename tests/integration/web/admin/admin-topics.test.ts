import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adminBrowser, type AdminBrowser } from '../../../helpers/admin-browser.js';
import { seedWorld } from '../../../helpers/digest-world.js';
import { startWebHarness, type WebHarness } from '../../../helpers/web-harness.js';

/**
 * /admin/topics: the catalogue with follower counts; editing a topic's name, description and
 * keywords under the topic file's rules; the "what would this tag" preview and saved diff over
 * the latest articles; applying new rules to stored articles only when asked.
 */

const ADMIN = 'editor@example.com';
const NOW = new Date('2026-11-20T08:00:00Z');
let h: WebHarness;
let b: AdminBrowser;
let ids: number[];

beforeEach(async () => {
  h = await startWebHarness({ ADMIN_EMAILS: ADMIN });
  b = await adminBrowser(h, ADMIN);
  ({ articleIds: ids } = await seedWorld(h.app, NOW, {
    articles: [
      { title: 'Quantum computer passes a milestone', topics: [], minutesAgo: 10 },
      { title: 'Chip exports slow', topics: ['tech'], minutesAgo: 20 },
      { title: 'Football final goes to penalties', topics: ['sport'], minutesAgo: 30 },
      { title: 'Chips for the quantum age', topics: ['tech'], minutesAgo: 40 },
    ],
    readers: [
      { email: 'a@example.com', topics: ['tech', 'sport'] },
      { email: 'b@example.com', topics: ['tech'] },
      { email: 'gone@example.com', topics: ['tech'], status: 'unsubscribed' },
    ],
  }));
  // As in a browser: forms are posted from the page that carried their CSRF token.
  await b.get('/admin/topics/tech');
});
afterEach(async () => {
  await h.close();
});

const tech = async () => (await h.app.store.topics.list()).find((t) => t.slug === 'tech')!;
const topicsOf = async (id: number) => (await h.app.store.articles.byId(id))!.topics;
/** The article titles listed in one of the diff tables. */
const listed = (html: string, table: 'added' | 'removed') => {
  const m = new RegExp(`<table class="admin-table" id="check-${table}">([\\s\\S]*?)</table>`).exec(html);
  return m ? [...m[1]!.matchAll(/<a href="\/admin\/articles\/\d+">([^<]*)<\/a>/g)].map((x) => x[1]) : [];
};
const newRules = { name: 'Technology', description: 'Computers & <chips>', keywords: 'quantum\nsemiconductor\n\nQuantum\n' };

describe('topics page', () => {
  it('lists topics with their active followers and links to each', async () => {
    const page = await b.get('/admin/topics');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<td data-followers="tech">2</td>');
    expect(page.body).toContain('<td data-followers="sport">1</td>');
    expect(page.body).toContain('<td data-followers="climate">0</td>');
    expect(page.body).toContain('href="/admin/topics/tech"');
    expect(page.body).toContain('href="/admin/topics"');
  });

  it('previews what new keywords would tag, without saving anything', async () => {
    const before = await tech();
    const r = await b.post('/admin/topics/tech', { ...newRules, action: 'preview' });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('Nothing has been saved yet');
    expect(listed(r.body, 'added')).toEqual(['Quantum computer passes a milestone']);
    expect(listed(r.body, 'removed')).toEqual(['Chip exports slow']);
    // Tagged under both: "Chips" (old) and "quantum" (new).
    expect(r.body).toMatch(/data-check="before">2</);
    expect(r.body).toMatch(/data-check="after">2</);
    expect(r.body).not.toContain('Apply to these');
    expect(await tech()).toEqual(before);
  });

  it('saves, shows the diff, and retags stored articles only when asked, keeping the slug', async () => {
    // A slug in the form is ignored: readers follow the old one.
    const r = await b.post('/admin/topics/tech', { ...newRules, slug: 'technology', action: 'save' });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('Saved.');
    expect([...(await h.app.store.topics.slugs())]).not.toContain('technology');
    expect(listed(r.body, 'added')).toEqual(['Quantum computer passes a milestone']);
    const saved = await tech();
    expect(saved).toMatchObject({ slug: 'tech', name: 'Technology', description: 'Computers & <chips>', keywords: ['quantum', 'semiconductor'] });
    expect(r.body).toContain('Computers &amp; &lt;chips&gt;');
    // No silent retag: stored articles keep their topics until the editor applies the rules.
    expect(await topicsOf(ids[0]!)).toEqual([]);
    expect(await topicsOf(ids[1]!)).toEqual(['tech']);
    expect(r.body).toContain('Apply to these 2 articles');

    const applied = await b.post('/admin/topics/tech/apply', { add: String(ids[0]), remove: String(ids[1]) });
    expect(applied.statusCode).toBe(200);
    expect(applied.body).toContain('added to 1 article(s) and taken off 1');
    expect(await topicsOf(ids[0]!)).toEqual(['tech']);
    expect(await topicsOf(ids[1]!)).toEqual([]);
    expect(await topicsOf(ids[3]!)).toEqual(['tech']);
    // Readers still follow it by the same slug.
    expect((await h.app.store.subscribers.findByEmail('b@example.com'))!.topics).toEqual(['tech']);
  });

  it('apply re-decides under the stored rules: a forged list cannot tag what the rules do not match', async () => {
    const r = await b.get('/admin/topics/tech');
    expect(r.statusCode).toBe(200);
    // The football story does not match tech's rules; the chip story still does.
    await b.post('/admin/topics/tech/apply', { add: `${ids[2]},abc,${ids[0]}`, remove: String(ids[1]) });
    expect(await topicsOf(ids[2]!)).toEqual(['sport']);
    expect(await topicsOf(ids[1]!)).toEqual(['tech']);
  });

  it('leaves hand-fixed articles alone when applying', async () => {
    await b.post('/admin/topics/tech', { ...newRules, action: 'save' });
    await h.app.store.transaction((tx) => tx.articles.setTopicsByHand(ids[0]!, ['sport'], ADMIN, NOW.toISOString()));
    const page = await b.post('/admin/topics/tech', { ...newRules, action: 'preview' });
    expect(page.statusCode).toBe(200);
    await b.post('/admin/topics/tech/apply', { add: String(ids[0]), remove: '' });
    expect(await topicsOf(ids[0]!)).toEqual(['sport']);
  });

  it('refuses bad input with every problem listed, saving nothing', async () => {
    const before = await tech();
    const many = Array.from({ length: 101 }, (_, i) => `word${i}`).join('\n');
    const r = await b.post('/admin/topics/tech', { name: '  ', description: 'x'.repeat(501), keywords: many, action: 'save' });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('role="alert"');
    expect(r.body).toContain('Name: must not be empty');
    expect(r.body).toContain('Description: must be at most 500 characters');
    expect(r.body).toContain('Keywords: at most 100 keywords');
    const long = await b.post('/admin/topics/tech', { name: 'Tech', keywords: `fine\n${'k'.repeat(81)}`, action: 'preview' });
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('Keyword 2 (&quot;kkkk');
    expect(long.body).toContain('must be at most 80 characters');
    expect(await tech()).toEqual(before);
  });

  it('refuses a form without its CSRF token, and unknown topics', async () => {
    const before = await tech();
    expect((await b.post('/admin/topics/tech', { ...newRules, action: 'save' }, false)).statusCode).toBe(403);
    expect((await b.post('/admin/topics/tech/apply', { add: String(ids[0]) }, false)).statusCode).toBe(403);
    expect(await tech()).toEqual(before);
    expect(await topicsOf(ids[0]!)).toEqual([]);
    expect((await b.get('/admin/topics/no-such-topic')).statusCode).toBe(404);
    expect((await b.post('/admin/topics/no-such-topic', { ...newRules, action: 'save' })).statusCode).toBe(404);
  });

  it('shows a hostile topic name and article title as text', async () => {
    await b.post('/admin/topics/tech', { name: '<script>alert(1)</script>', keywords: 'quantum', action: 'save' });
    await seedWorld(h.app, NOW, { articles: [{ title: 'quantum <script>alert(2)</script>', topics: [], minutesAgo: 1 }] });
    for (const url of ['/admin/topics', '/admin/topics/tech']) {
      const page = await b.get(url);
      expect(page.body).not.toContain('<script>alert');
      expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
    const preview = await b.post('/admin/topics/tech', { name: 'Tech', keywords: 'penalties', action: 'preview' });
    expect(preview.body).toContain('quantum &lt;script&gt;alert(2)&lt;/script&gt;');
    expect(preview.body).not.toContain('<script>alert');
  });

  it('is closed without a session', async () => {
    expect((await h.get('/admin/topics')).statusCode).toBe(302);
    expect((await h.get('/admin/topics/tech')).statusCode).toBe(302);
  });
});
