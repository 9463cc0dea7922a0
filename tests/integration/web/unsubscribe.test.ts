import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signToken } from '../../../src/security/tokens.js';
import { storeReader } from '../../helpers/web-readers.js';
import { startWebHarness, type WebHarness } from '../../helpers/web-harness.js';

/** /unsubscribe/:token: GET never unsubscribes; the page POST needs CSRF; RFC 8058 one-click needs nothing. */

let h: WebHarness;
beforeEach(async () => {
  h = await startWebHarness();
});
afterEach(async () => {
  await h.close();
});

const status = async (id: number) => (await h.app.store.subscribers.findById(id))!.status;

describe('GET /unsubscribe/:token', () => {
  it('shows one button and never unsubscribes', async () => {
    const { s, unsubscribePath } = await storeReader(h.app);
    for (let i = 0; i < 3; i++) {
      const r = await h.get(unsubscribePath);
      expect(r.statusCode).toBe(200);
      expect(r.body.match(/<button/g)).toHaveLength(1);
      expect(r.body).toContain(`action="${unsubscribePath}"`);
    }
    expect(await status(s.id)).toBe('active');
  });

  it('refuses a forged token', async () => {
    const { unsubscribePath } = await storeReader(h.app);
    expect((await h.get(unsubscribePath.slice(0, -4) + 'AAAA')).statusCode).toBe(400);
  });
});

describe('POST /unsubscribe/:token', () => {
  it('unsubscribes from the page with a CSRF token and offers a way back', async () => {
    const { s, unsubscribePath } = await storeReader(h.app);
    const session = await h.openForm(unsubscribePath);
    const r = await h.post(unsubscribePath, {}, session);
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('You are unsubscribed');
    expect(r.body).toContain('Subscribe again');
    expect(r.body).toContain('href="/"');
    expect(await status(s.id)).toBe('unsubscribed');
    expect((await h.app.store.subscribers.findById(s.id))!.unsubscribedAt).not.toBeNull();
  });

  it('refuses a page POST without CSRF', async () => {
    const { s, unsubscribePath } = await storeReader(h.app);
    const r = await h.post(unsubscribePath, { something: 'else' }, null);
    expect(r.statusCode).toBe(403);
    expect(await status(s.id)).toBe('active');
  });

  it('RFC 8058: the one-click POST alone unsubscribes at once with 200, no cookie or token', async () => {
    const { s } = await storeReader(h.app);
    // Exactly the URL the digests put in List-Unsubscribe.
    const url = new URL(h.app.links.forSubscriber(s).unsubscribeUrl);
    const r = await h.server.inject({
      method: 'POST',
      url: url.pathname,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(r.statusCode).toBe(200);
    expect(r.headers['set-cookie']).toBeUndefined();
    expect(await status(s.id)).toBe('unsubscribed');
    // A second one-click (providers retry) is still 200.
    const again = await h.server.inject({ method: 'POST', url: url.pathname, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
    expect(again.statusCode).toBe(200);
  });

  it('RFC 8058: accepts the one-click body as multipart/form-data too', async () => {
    const { s, unsubscribePath } = await storeReader(h.app);
    const boundary = '----td' + Date.now();
    const payload = `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`;
    const r = await h.server.inject({ method: 'POST', url: unsubscribePath, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
    expect(r.statusCode).toBe(200);
    expect(await status(s.id)).toBe('unsubscribed');
  });

  it('a one-click POST with a forged token is refused and changes nothing', async () => {
    const { s, unsubscribePath } = await storeReader(h.app);
    const r = await h.server.inject({
      method: 'POST',
      url: unsubscribePath.slice(0, -4) + 'AAAA',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(r.statusCode).toBe(400);
    expect(await status(s.id)).toBe('active');
  });

  it('a wrong one-click value is not one-click: it needs CSRF', async () => {
    const { s, unsubscribePath } = await storeReader(h.app);
    const r = await h.server.inject({ method: 'POST', url: unsubscribePath, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=Yes' });
    expect(r.statusCode).toBe(403);
    expect(await status(s.id)).toBe('active');
  });

  it('unsubscribe links never expire and leave a bounced address bounced', async () => {
    const { s, unsubscribePath } = await storeReader(h.app, { status: 'bounced' });
    expect(unsubscribePath).toMatch(/^\/unsubscribe\/u\.[0-9a-z]+\.\./);
    const r = await h.server.inject({ method: 'POST', url: unsubscribePath, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
    expect(r.statusCode).toBe(200);
    expect(await status(s.id)).toBe('bounced');
  });

  it('an unsubscribed reader can sign up again and goes back to pending', async () => {
    const { s, unsubscribePath } = await storeReader(h.app);
    await h.server.inject({ method: 'POST', url: unsubscribePath, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
    expect(await status(s.id)).toBe('unsubscribed');
    await h.signup({ email: s.email, topics: ['world'] });
    expect(await status(s.id)).toBe('pending');
  });
});

describe('links made before migration 007', () => {
  it('an old row-id unsubscribe link (one-click, from an old email) still works; an old-style id with a bad signature does not', async () => {
    const { s } = await storeReader(h.app);
    const legacy = signToken(h.app.secretKey, s.signingKey, { purpose: 'unsubscribe', publicId: s.id.toString(36) });
    expect(legacy).toMatch(/^u\.[0-9a-z]{1,11}\.\./);
    const oneClick = (token: string) =>
      h.server.inject({ method: 'POST', url: `/unsubscribe/${token}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
    expect((await oneClick(`${legacy.slice(0, -4)}AAAA`)).statusCode).toBe(400);
    expect(await status(s.id)).toBe('active');
    expect((await oneClick(legacy)).statusCode).toBe(200);
    expect(await status(s.id)).toBe('unsubscribed');
  });
});
