import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signToken } from '../../../src/security/tokens.js';
import { linkIn, pathOf, startWebHarness, type WebHarness } from '../../helpers/web-harness.js';

/**
 * `/confirm/:token`: GET only shows a button (link scanners follow every link in a mail), the
 * CSRF-protected POST activates; expiry, forgeries and the new-link request on both methods.
 */

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

const stored = (id: number) => h.app.store.subscribers.findById(id);
const welcomes = (email = 'ana@example.com') => h.mailer.to(email).filter((m) => m.subject.includes('Welcome'));

/** Opens the confirmation page like a browser and presses its button. */
async function pressConfirm(confirmPath: string) {
  return h.post(confirmPath, {}, await h.openForm(confirmPath));
}

describe('GET /confirm/:token', () => {
  it('shows the chosen topics and one button that posts back, and never activates', async () => {
    const { s, confirmPath } = await pendingReader();
    const before = await stored(s.id);
    const sentBefore = h.mailer.sent.length;

    const r = await h.get(confirmPath);
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('<h1>Confirm your subscription</h1>');
    expect(r.body).toContain('<strong>ana@example.com</strong>');
    expect(r.body).toMatch(/<li>World<\/li><li>Climate<\/li>/);
    expect(r.body).toContain(`<form method="post" action="${confirmPath}">`);
    expect(r.body).toMatch(/name="_csrf" value="[^"]+"/);
    expect(r.body).toContain('<button type="submit" class="button">Confirm my subscription</button>');
    expect(r.body).not.toContain('<script');
    expect(r.headers['cache-control']).toBe('no-store');

    // A scanner fetching the link over and over (and HEAD, which Fastify answers from GET) changes nothing.
    for (let i = 0; i < 3; i++) expect((await h.get(confirmPath)).statusCode).toBe(200);
    expect((await h.server.inject({ method: 'HEAD', url: confirmPath })).statusCode).toBe(200);
    expect(await stored(s.id)).toEqual(before);
    expect(before).toMatchObject({ status: 'pending', confirmedAt: null });
    expect(h.mailer.sent).toHaveLength(sentBefore);
  });

  it('names the edition the reader chose: a weekly reader confirms the weekly digest', async () => {
    await h.signup({ email: 'wes@example.com', topics: ['world'], frequency: 'weekly', weekday: 'friday' });
    const confirmPath = pathOf(linkIn(h.mailer.to('wes@example.com').at(-1)!, 'https://digest.example/confirm/'));
    const body = (await h.get(confirmPath)).body;
    expect(body).toContain('Start sending the weekly digest to');
    expect(body).not.toContain('daily digest');
  });

  it('shows an already-active reader the welcome page again and sends nothing', async () => {
    const { s, confirmPath } = await pendingReader();
    await pressConfirm(confirmPath);
    const before = await stored(s.id);
    const sentBefore = h.mailer.sent.length;
    const r = await h.get(confirmPath);
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('Your subscription is confirmed');
    expect(r.body).not.toContain('Confirm my subscription');
    expect(await stored(s.id)).toEqual(before);
    expect(h.mailer.sent).toHaveLength(sentBefore);
  });
});

describe('POST /confirm/:token', () => {
  it('activates the reader, lists their topics and sends one welcome email', async () => {
    const { s, confirmPath } = await pendingReader();
    const session = await h.openForm(confirmPath);
    const r = await h.post(confirmPath, {}, session);
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('Your subscription is confirmed');
    expect(r.body).toMatch(/<li>World<\/li><li>Climate<\/li>/);
    expect(r.body).toContain('Asia/Singapore');
    expect(r.body).toMatch(/href="\/preferences\/p\.[^"]+"/);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(await stored(s.id)).toMatchObject({ status: 'active', confirmedAt: expect.any(String) });
    expect(welcomes()).toHaveLength(1);
    const welcome = welcomes()[0]!;
    // The welcome is list mail: it carries the same one-click List-Unsubscribe a digest does.
    expect(welcome.list?.unsubscribeUrl).toBe(h.app.links.forSubscriber(s).unsubscribeUrl);
    expect(welcome.list?.unsubscribeMailto).toMatch(/^mailto:/);
    // When the first digest comes, in the reader's own zone, and where past editions are.
    expect(welcome.text).toMatch(/Your first digest arrives (today|tomorrow|within a few minutes)[^.]* 07:00 Asia\/Singapore/);
    expect(welcome.text).toContain('https://digest.example/archive');
    expect(linkIn(welcome, 'https://digest.example/unsubscribe/')).toBe(h.app.links.forSubscriber(s).unsubscribeUrl);

    // Pressing again in the same tab (or an old one) is harmless: same page, no second welcome.
    const confirmedAt = (await stored(s.id))!.confirmedAt;
    const again = await h.post(confirmPath, {}, session);
    expect(again.statusCode).toBe(200);
    expect(again.body).toContain('Your subscription is confirmed');
    expect((await stored(s.id))!.confirmedAt).toBe(confirmedAt);
    expect(welcomes()).toHaveLength(1);
  });

  it('a double-click (two POSTs at once) activates once and sends one welcome email', async () => {
    const { s, confirmPath } = await pendingReader();
    const session = await h.openForm(confirmPath);
    const [a, b] = await Promise.all([h.post(confirmPath, {}, session), h.post(confirmPath, {}, session)]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect((await stored(s.id))!.status).toBe('active');
    expect(welcomes()).toHaveLength(1);
  });

  it('refuses a POST without CSRF, or with half of it, with 403 and changes nothing', async () => {
    const { s, confirmPath } = await pendingReader();
    const before = await stored(s.id);
    const sentBefore = h.mailer.sent.length;
    const session = await h.openForm(confirmPath);

    const none = await h.post(confirmPath, {}, null);
    expect(none.statusCode).toBe(403);
    expect(none.body).toContain('This form has expired');
    // The token without its cookie, and the cookie with someone else's token.
    expect((await h.post(confirmPath, { _csrf: session.csrf }, null)).statusCode).toBe(403);
    expect((await h.post(confirmPath, {}, { ...session, csrf: 'not-the-token' })).statusCode).toBe(403);

    expect(await stored(s.id)).toEqual(before);
    expect(h.mailer.sent).toHaveLength(sentBefore);
  });
});

describe('expired and forged links', () => {
  it('shows 410 with a way to ask for a new link on GET and POST, and changes nothing', async () => {
    const { s } = await pendingReader();
    const expired = pathOf(h.app.links.confirmUrl(s, 2, new Date(Date.now() - 3 * 3_600_000)));
    const before = await stored(s.id);

    const shown = await h.openForm(expired);
    expect(shown.response.statusCode).toBe(410);
    expect(shown.response.body).toContain('This link has expired');
    expect(shown.response.body).toContain(`action="${expired}/resend"`);
    expect(shown.response.body).not.toContain('Confirm my subscription');
    // A POST to an expired link (a page left open too long) is refused the same way.
    const posted = await h.post(expired, {}, shown);
    expect(posted.statusCode).toBe(410);
    expect(posted.body).toContain(`action="${expired}/resend"`);
    expect(await stored(s.id)).toEqual(before);
    expect(welcomes()).toHaveLength(0);

    // Asking for a new link sends a fresh one; it shows the button, and the button activates.
    const sentBefore = h.mailer.sent.length;
    const resend = await h.post(`${expired}/resend`, {}, shown);
    expect(resend.statusCode).toBe(200);
    expect(h.mailer.sent).toHaveLength(sentBefore + 1);
    const fresh = pathOf(linkIn(h.mailer.sent.at(-1)!, 'https://digest.example/confirm/'));
    expect((await h.get(fresh)).body).toContain('Confirm my subscription');
    expect((await stored(s.id))!.status).toBe('pending');
    expect((await pressConfirm(fresh)).statusCode).toBe(200);
    expect((await stored(s.id))!.status).toBe('active');
  });

  it('refuses forged, tampered, unknown, wrong-purpose and garbage tokens with 400 on GET and POST', async () => {
    const { s, confirmPath } = await pendingReader();
    const before = await stored(s.id);
    const tampered = confirmPath.slice(0, -2) + (confirmPath.endsWith('AA') ? 'BB' : 'AA');
    const otherSecret = signToken('another-secret-that-is-long-enough-0123456789', s.signingKey, { purpose: 'confirm', publicId: s.publicId, expiresAt: 9_999_999_999 });
    const unknownId = signToken(h.app.secretKey, s.signingKey, { purpose: 'confirm', publicId: 'f'.repeat(20), expiresAt: 9_999_999_999 });
    const longerLife = confirmPath.replace(/^\/confirm\/c\.([0-9a-f]+)\.([0-9a-z]+)\./, (_m, id) => `/confirm/c.${id}.zzzzzz.`);
    const unsubscribeToken = pathOf(h.app.links.forSubscriber(s).unsubscribeUrl).replace('/unsubscribe/', '/confirm/');
    // A valid CSRF session from our own signup page, so only the token is wrong.
    const session = await h.openForm('/');
    for (const path of [tampered, `/confirm/${otherSecret}`, `/confirm/${unknownId}`, longerLife, unsubscribeToken, '/confirm/garbage', `/confirm/${'x'.repeat(99)}`]) {
      for (const r of [await h.get(path), await h.post(path, {}, session)]) {
        expect(r.statusCode, path).toBe(400);
        expect(r.body).toContain('This link does not work');
        expect(r.body).toContain('href="/"');
      }
    }
    // Fastify's router refuses absurdly long parameters before any handler runs.
    expect((await h.get(`/confirm/${'x'.repeat(500)}`)).statusCode).toBe(414);
    expect(await stored(s.id)).toEqual(before);
    expect(welcomes()).toHaveLength(0);
  });

  it('does not reactivate a reader who unsubscribed after signing up, by GET or POST', async () => {
    const { s, confirmPath } = await pendingReader();
    const session = await h.openForm(confirmPath);
    await h.app.store.subscribers.setStatus(s.id, 'unsubscribed', new Date().toISOString());
    expect((await h.get(confirmPath)).statusCode).toBe(410);
    const posted = await h.post(confirmPath, {}, session);
    expect(posted.statusCode).toBe(410);
    expect(posted.body).toContain('Sign up again');
    expect((await stored(s.id))!.status).toBe('unsubscribed');
    expect(welcomes()).toHaveLength(0);
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
