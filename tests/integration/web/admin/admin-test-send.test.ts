import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEST_HEADER } from '../../../../src/pipeline/test-send.js';
import { TEST_SENDS_PER_MINUTE } from '../../../../src/web/admin/test-send.js';
import { adminBrowser, type AdminBrowser } from '../../../helpers/admin-browser.js';
import { seedWorld } from '../../../helpers/digest-world.js';
import { encodeForm, startWebHarness, type WebHarness } from '../../../helpers/web-harness.js';

/** /admin/test-send: the form, its protections, and what it tells the admin. */

const ADMIN = 'editor@example.com';
const HOSTILE = '<script>alert(1)</script>';
let h: WebHarness;
let b: AdminBrowser;
beforeEach(async () => {
  h = await startWebHarness({ ADMIN_EMAILS: ADMIN });
  b = await adminBrowser(h, ADMIN);
  await seedWorld(h.app, new Date(), {
    articles: [{ title: 'Harbour reopens', topics: ['world'], minutesAgo: 30 }],
    readers: [{ email: 'xss@example.com', name: HOSTILE, topics: ['world'] }],
  });
  h.mailer.sent.length = 0;
});
afterEach(async () => {
  await h.close();
});

const testMails = () => h.mailer.sent.filter((m) => m.headers?.[TEST_HEADER] === '1');
const deliveries = async () => (await h.app.store.db.selectFrom('deliveries').selectAll().execute()).length;

describe('send a test', () => {
  it('is closed without a session and linked from the console nav', async () => {
    expect((await h.get('/admin/test-send')).statusCode).toBe(302);
    expect((await h.server.inject({ method: 'POST', url: '/admin/test-send', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: encodeForm({ to: 'a@example.com', topics: 'world' }) })).statusCode).toBe(302);
    const page = await b.get('/admin');
    expect(page.body).toContain('href="/admin/test-send"');
    const form = await b.get('/admin/test-send');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain(`value="${ADMIN}"`);
    expect(form.body).toContain('name="topics" value="world"');
  });

  it('sends the marked test to any address and records nothing; a reader\'s hostile name is shown as text', async () => {
    await b.get('/admin/test-send');
    expect((await b.post('/admin/test-send', { to: 'xss@example.com', topics: 'world', frequency: 'daily' }, false)).statusCode).toBe(403);
    expect(testMails()).toHaveLength(0);
    const r = await b.post('/admin/test-send', { to: 'xss@example.com', topics: 'world', frequency: 'daily' });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('data-outcome="sent"');
    expect(r.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(r.body).not.toContain(HOSTILE);
    const [mail] = testMails();
    expect(mail!.to.address).toBe('xss@example.com');
    expect(mail!.subject).toMatch(/^\[Test\] /);
    expect(mail!.text).toContain('Harbour reopens');
    expect(mail!.list?.unsubscribeUrl).toBe('https://digest.example/unsubscribe/test-digest-link');
    expect(await deliveries()).toBe(0);
    expect(await h.app.store.db.selectFrom('editions').selectAll().execute()).toEqual([]);
  });

  it('says plainly when there is nothing to send, and why an address or choice is refused', async () => {
    await b.get('/admin/test-send');
    const empty = await b.post('/admin/test-send', { to: 'ed@example.com', topics: 'climate', frequency: 'daily' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('Nothing was sent: there are no stories on those topics');
    const bad = await b.post('/admin/test-send', { to: '"><img src=x onerror=alert(1)>@x', topics: 'world', frequency: 'daily' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('role="alert"');
    expect(bad.body).not.toContain('<img src=x');
    expect((await b.post('/admin/test-send', { to: 'ed@example.com', frequency: 'daily' })).body).toContain('No topics chosen');
    expect((await b.post('/admin/test-send', { to: 'ed@example.com', topics: 'world', frequency: 'hourly' })).statusCode).toBe(400);
    expect(testMails()).toHaveLength(0);
  });

  it('tells the admin when the mail server refuses, and records nothing', async () => {
    await b.get('/admin/test-send');
    h.mailer.failing = true;
    const r = await b.post('/admin/test-send', { to: 'ed@example.com', topics: 'world', frequency: 'daily' });
    expect(r.statusCode).toBe(502);
    expect(r.body).toContain('The mail server did not take it');
    expect(await deliveries()).toBe(0);
  });

  it(`allows ${TEST_SENDS_PER_MINUTE} test sends a minute per admin`, async () => {
    await b.get('/admin/test-send');
    for (let i = 0; i < TEST_SENDS_PER_MINUTE; i++) expect((await b.post('/admin/test-send', { to: 'ed@example.com', topics: 'world', frequency: 'weekly' })).statusCode).toBe(200);
    const refused = await b.post('/admin/test-send', { to: 'ed@example.com', topics: 'world', frequency: 'weekly' });
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('60');
    expect(testMails()).toHaveLength(TEST_SENDS_PER_MINUTE);
  });
});
