import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signToken } from '../../../src/security/tokens.js';
import { linkIn, pathOf, startWebHarness, type WebHarness } from '../../helpers/web-harness.js';

/** GET /confirm/:token and the new-link request: activation, expiry and forgeries. */

let h: WebHarness;
beforeEach(async () => {
  h = await startWebHarness({ CONFIRM_TTL_HOURS: '2' });
});
afterEach(async () => {
  await h.close();
});

async function pendingReader(email = 'ana@example.com') {
  await h.signup({ email, name: 'Ana', topics: ['world', 'climate'], timezone: 'Asia/Singapore' });
  const s = (await h.app.store.subscribers.findByEmail(email))!;
  return { s, confirmPath: pathOf(linkIn(h.mailer.to(email).at(-1)!, 'https://digest.example/confirm/')) };
}

describe('GET /confirm/:token', () => {
  it('activates the reader, lists their topics and sends one welcome email', async () => {
    const { s, confirmPath } = await pendingReader();
    const r = await h.get(confirmPath);
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('Your subscription is confirmed');
    expect(r.body).toMatch(/<li>World<\/li><li>Climate<\/li>/);
    expect(r.body).toContain('Asia/Singapore');
    expect(r.body).toMatch(/href="\/preferences\/p\.[^"]+"/);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(await h.app.store.subscribers.findById(s.id)).toMatchObject({ status: 'active', confirmedAt: expect.any(String) });
    const welcome = h.mailer.to('ana@example.com').at(-1)!;
    expect(welcome.subject).toContain('Welcome');
    expect(welcome.list).toBeUndefined();
    expect(linkIn(welcome, 'https://digest.example/unsubscribe/')).toBe(h.app.links.forSubscriber(s).unsubscribeUrl);

    // Clicking again is harmless: same page, no second welcome.
    const again = await h.get(confirmPath);
    expect(again.statusCode).toBe(200);
    expect(h.mailer.to('ana@example.com').filter((m) => m.subject.includes('Welcome'))).toHaveLength(1);
  });

  it('shows 410 with a way to ask for a new link when the link has expired, and changes nothing', async () => {
    const { s } = await pendingReader();
    const expired = h.app.links.confirmUrl(s, 2, new Date(Date.now() - 3 * 3_600_000));
    const r = await h.get(pathOf(expired));
    expect(r.statusCode).toBe(410);
    expect(r.body).toContain('This link has expired');
    expect(r.body).toContain(`action="${pathOf(expired)}/resend"`);
    expect((await h.app.store.subscribers.findById(s.id))!.status).toBe('pending');

    // Asking for a new link sends a fresh, working one.
    const form = { cookies: Object.fromEntries(r.cookies.map((c) => [c.name, c.value])), csrf: /name="_csrf" value="([^"]+)"/.exec(r.body)![1]! };
    const sentBefore = h.mailer.sent.length;
    const resend = await h.post(`${pathOf(expired)}/resend`, {}, form);
    expect(resend.statusCode).toBe(200);
    expect(h.mailer.sent).toHaveLength(sentBefore + 1);
    const fresh = pathOf(linkIn(h.mailer.sent.at(-1)!, 'https://digest.example/confirm/'));
    expect((await h.get(fresh)).statusCode).toBe(200);
    expect((await h.app.store.subscribers.findById(s.id))!.status).toBe('active');
  });

  it('refuses forged, tampered, unknown, wrong-purpose and garbage tokens with 400', async () => {
    const { s, confirmPath } = await pendingReader();
    const tampered = confirmPath.slice(0, -2) + (confirmPath.endsWith('AA') ? 'BB' : 'AA');
    const otherSecret = signToken('another-secret-that-is-long-enough-0123456789', s.signingKey, { purpose: 'confirm', subscriberId: s.id, expiresAt: 9_999_999_999 });
    const unknownId = signToken(h.app.secretKey, s.signingKey, { purpose: 'confirm', subscriberId: 999, expiresAt: 9_999_999_999 });
    const longerLife = confirmPath.replace(/^\/confirm\/c\.([0-9a-z]+)\.([0-9a-z]+)\./, (_m, id) => `/confirm/c.${id}.zzzzzz.`);
    const unsubscribeToken = pathOf(h.app.links.forSubscriber(s).unsubscribeUrl).replace('/unsubscribe/', '/confirm/');
    for (const path of [tampered, `/confirm/${otherSecret}`, `/confirm/${unknownId}`, longerLife, unsubscribeToken, '/confirm/garbage', `/confirm/${'x'.repeat(99)}`]) {
      const r = await h.get(path);
      expect(r.statusCode, path).toBe(400);
      expect(r.body).toContain('This link does not work');
      expect(r.body).toContain('href="/"');
    }
    // Fastify's router refuses absurdly long parameters before any handler runs.
    expect((await h.get(`/confirm/${'x'.repeat(500)}`)).statusCode).toBe(414);
    expect((await h.app.store.subscribers.findById(s.id))!.status).toBe('pending');
    expect(h.mailer.sent.filter((m) => m.subject.includes('Welcome'))).toHaveLength(0);
  });

  it('does not reactivate a reader who unsubscribed after signing up', async () => {
    const { s, confirmPath } = await pendingReader();
    await h.app.store.subscribers.setStatus(s.id, 'unsubscribed', new Date().toISOString());
    const r = await h.get(confirmPath);
    expect(r.statusCode).toBe(410);
    expect((await h.app.store.subscribers.findById(s.id))!.status).toBe('unsubscribed');
  });

  it('refuses a new-link request without CSRF or with a forged token', async () => {
    const { s } = await pendingReader();
    const expired = pathOf(h.app.links.confirmUrl(s, 2, new Date(Date.now() - 3 * 3_600_000)));
    const sentBefore = h.mailer.sent.length;
    expect((await h.post(`${expired}/resend`, {}, null)).statusCode).toBe(403);
    const session = await h.openForm('/');
    expect((await h.post('/confirm/c.1.zz.forged/resend', {}, session)).statusCode).toBe(400);
    expect(h.mailer.sent).toHaveLength(sentBefore);
  });
});
