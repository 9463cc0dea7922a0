import { describe, expect, it } from 'vitest';
import { signedInEachTest, type AdminBrowser } from '../../../helpers/admin-browser.js';
import { storeReader } from '../../../helpers/web-readers.js';
import { type WebHarness } from '../../../helpers/web-harness.js';

/** /admin/subscribers: search, detail, and the reader actions, with hostile input. */

const ADMIN = 'editor@example.com';
let h: WebHarness;
let b: AdminBrowser;
signedInEachTest(ADMIN, (harness, browser) => ((h = harness), (b = browser)));

describe('search', () => {
  it('finds by part of the address or the name, case-insensitively, and escapes what it shows', async () => {
    await storeReader(h.app, { email: 'ann@example.com', name: '<script>alert(1)</script>' });
    await storeReader(h.app, { email: 'bob_smith@example.org', name: 'Bob' });
    const byName = await b.get('/admin/subscribers?q=SCRIPT');
    expect(byName.body).toContain('ann@example.com');
    expect(byName.body).not.toContain('bob_smith');
    expect(byName.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(byName.body).not.toContain('<script>alert');
    expect((await b.get('/admin/subscribers?q=example.org')).body).toContain('bob_smith@example.org');
    // LIKE wildcards in the query are literal: "_" matches only an underscore, "%" nothing here.
    const underscore = await b.get('/admin/subscribers?q=b_s');
    expect(underscore.body).toContain('bob_smith@example.org');
    expect((await b.get('/admin/subscribers?q=n_e')).body).not.toContain('ann@example.com');
    expect((await b.get('/admin/subscribers?q=%25')).body).toContain('Nobody matches');
    // A hostile query is echoed escaped.
    const echoed = await b.get('/admin/subscribers?q=%22%3E%3Cimg%20src%3Dx%3E');
    expect(echoed.body).not.toContain('<img src=x>');
  });
});

describe('reader actions', () => {
  it('pause, resume and unsubscribe go through the store with consent evidence; CSRF is required', async () => {
    const { s } = await storeReader(h.app);
    await b.get(`/admin/subscribers/${s.id}`);
    expect((await b.post(`/admin/subscribers/${s.id}/pause`, {}, false)).statusCode).toBe(403);
    expect((await b.post(`/admin/subscribers/${s.id}/pause`)).statusCode).toBe(303);
    expect((await h.app.store.subscribers.findById(s.id))!.paused).toBe(true);
    await b.get(`/admin/subscribers/${s.id}`);
    expect((await b.post(`/admin/subscribers/${s.id}/resume`)).statusCode).toBe(303);
    expect((await h.app.store.subscribers.findById(s.id))!.paused).toBe(false);
    await b.get(`/admin/subscribers/${s.id}`);
    expect((await b.post(`/admin/subscribers/${s.id}/unsubscribe`)).statusCode).toBe(303);
    expect((await h.app.store.subscribers.findById(s.id))!.status).toBe('unsubscribed');
    const consent = await h.app.store.consent.listFor(s.id);
    expect(consent.map((c) => `${c.action}:${c.source}`)).toEqual(['change:console', 'change:console', 'unsubscribe:console']);
    expect(consent[0]!.details).toMatchObject({ admin: ADMIN, paused: true });
  });

  it('erase removes the reader and the detail page is gone', async () => {
    const { s } = await storeReader(h.app);
    await b.get(`/admin/subscribers/${s.id}`);
    const r = await b.post(`/admin/subscribers/${s.id}/erase`);
    expect(r.statusCode).toBe(303);
    expect(await h.app.store.subscribers.findByEmail('reader@example.com')).toBeUndefined();
    expect((await b.get(`/admin/subscribers/${s.id}`)).statusCode).toBe(404);
    expect((await b.get('/admin/subscribers?q=erased')).body).toContain('Nobody matches');
  });

  it('unknown readers and actions are 404', async () => {
    const { s } = await storeReader(h.app);
    expect((await b.get('/admin/subscribers/999')).statusCode).toBe(404);
    expect((await b.get('/admin/subscribers/abc')).statusCode).toBe(404);
    await b.get(`/admin/subscribers/${s.id}`);
    expect((await b.post(`/admin/subscribers/${s.id}/delete-everything`)).statusCode).toBe(404);
  });
});
