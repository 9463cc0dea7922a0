import { describe, expect, it } from 'vitest';
import { signedInEachTest, type AdminBrowser } from '../../../helpers/admin-browser.js';
import { seedWorld } from '../../../helpers/digest-world.js';
import { type WebHarness } from '../../../helpers/web-harness.js';

/** /admin/editions: the list with readers and stories, and each edition's parts as stored for sending. */

const ADMIN = 'editor@example.com';
const NOW = new Date('2026-11-20T08:00:00Z');
let h: WebHarness;
let b: AdminBrowser;
signedInEachTest(ADMIN, (harness, browser) => ((h = harness), (b = browser)));

describe('editions', () => {
  it('lists editions with their readers and stories, and serves the HTML exactly as stored, sandboxed', async () => {
    await seedWorld(h.app, NOW, {
      articles: [{ title: 'Harbour <em>reopens</em>', topics: ['world'] }, { title: 'Chips rally', topics: ['tech'] }],
      readers: [
        { email: 'a@example.com', topics: ['world'] },
        { email: 'b@example.com', topics: ['world'] },
        { email: 'c@example.com', topics: ['tech'] },
      ],
    });
    await h.app.runDigest({ now: NOW, force: true });
    const list = await b.get('/admin/editions');
    expect(list.statusCode).toBe(200);
    const rows = [...list.body.matchAll(/<tr><td>2026-11-20<\/td><td><a href="\/admin\/editions\/([^"]+)">[^<]*<\/a><\/td><td>([^<]*)<\/td><td>(\d+)<\/td><td>(\d+)<\/td><\/tr>/g)];
    expect(rows.map((r) => [r[2], Number(r[3]), Number(r[4])]).sort()).toEqual([
      ['tech', 1, 1],
      ['world', 2, 1],
    ]);
    const key = decodeURIComponent(rows.find((r) => r[2] === 'world')![1]!);
    const stored = (await h.app.store.editions.get(key))!;
    const detail = await b.get(`/admin/editions/${encodeURIComponent(key)}`);
    expect(detail.body).toContain('Text part');
    expect(detail.body).not.toContain('<em>reopens');
    const html = await b.get(`/admin/editions/${encodeURIComponent(key)}/html`);
    expect(html.body).toBe(stored.html);
    expect(html.headers['content-security-policy']).toContain('sandbox');
    expect(html.headers['content-security-policy']).toContain("default-src 'none'");
    expect((await b.get('/admin/editions/nope')).statusCode).toBe(404);
  });

  it('is closed without a session', async () => {
    expect((await h.get('/admin/editions')).statusCode).toBe(302);
    expect((await h.get('/admin/editions/x/html')).statusCode).toBe(302);
  });
});
