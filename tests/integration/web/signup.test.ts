import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { linkIn, startWebHarness, type WebHarness } from '../../helpers/web-harness.js';

/** GET / and POST /subscribe: validation, double opt-in, and answers that reveal nothing. */

let h: WebHarness;
beforeEach(async () => {
  h = await startWebHarness();
});
afterEach(async () => {
  await h.close();
});

describe('GET /', () => {
  it('shows a labelled form with every topic, a time-zone select and a CSRF token', async () => {
    const { response, csrf, cookies } = await h.openForm('/');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
    const html = response.body;
    expect(html).toContain('<label for="email">');
    expect(html).toContain('<label for="name">');
    expect(html).toContain('<label for="timezone">');
    for (const t of await h.app.store.topics.list()) {
      expect(html).toContain(`id="topic-${t.slug}" name="topics" value="${t.slug}"`);
      expect(html).toContain(`<label for="topic-${t.slug}">`);
    }
    expect(html).toContain('<option value="Europe/London">');
    expect(html).toContain('<option value="UTC" selected>');
    expect(html).toContain('<script src="/assets/timezone.js" defer></script>');
    expect(csrf.length).toBeGreaterThan(10);
    // https PUBLIC_URL: the cookie is Secure, HttpOnly, SameSite and host-only.
    expect(Object.keys(cookies)).toEqual(['__Host-td_csrf']);
    expect(String(response.headers['set-cookie'])).toMatch(/; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
  });
});

describe('POST /subscribe', () => {
  it('creates a pending reader and sends a confirmation email with a signed link', async () => {
    const r = await h.signup({ email: 'Ana@Example.COM', name: '  Ana  Lima ', topics: ['world', 'tech'], timezone: 'asia/singapore' });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('Check your inbox');
    const s = await h.app.store.subscribers.findByEmail('Ana@example.com');
    expect(s).toMatchObject({ status: 'pending', name: 'Ana Lima', timezone: 'Asia/Singapore', topics: ['world', 'tech'] });
    expect(h.mailer.sent).toHaveLength(1);
    const mail = h.mailer.sent[0]!;
    expect(mail.to).toEqual({ address: 'Ana@example.com', name: 'Ana Lima' });
    expect(mail.list).toBeUndefined();
    expect(mail.subject).toContain('Confirm');
    expect(mail.text).toContain('expires in 48 hours');
    expect(linkIn(mail, 'https://digest.example/confirm/')).toMatch(/^https:\/\/digest\.example\/confirm\/c\.[0-9a-z]+\.[0-9a-z]+\.[\w-]+$/);
  });

  it('refuses a bad form with 400, keeps what was typed (escaped) and stores nothing', async () => {
    const r = await h.signup({ email: 'not-an-address', name: '<script>alert(1)</script>', topics: [], timezone: 'Mars/Olympus' });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('Enter a valid email address');
    expect(r.body).toContain('Choose at least one topic.');
    expect(r.body).toContain('Choose a time zone from the list.');
    expect(r.body).toContain('value="not-an-address"');
    expect(r.body).not.toContain('<script>alert(1)</script>');
    expect(r.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(r.body).toContain('aria-invalid="true"');
    expect(await h.app.store.subscribers.count()).toBe(0);
    expect(h.mailer.sent).toHaveLength(0);
  });

  it('refuses topics that are not in the catalogue and names with control characters', async () => {
    const r1 = await h.signup({ email: 'a@example.com', topics: ['world', 'no-such-topic'] });
    expect(r1.statusCode).toBe(400);
    expect(r1.body).toContain('does not exist');
    const r2 = await h.signup({ email: 'a@example.com', name: 'Eve\u0000', topics: ['world'] });
    expect(r2.statusCode).toBe(400);
    expect(await h.app.store.subscribers.count()).toBe(0);
  });

  it('answers identically for a new, a pending and an active address', async () => {
    const form = { email: 'same@example.com', name: 'Sam', topics: ['world'], timezone: 'UTC' };
    // Separate client addresses, so the per-IP rate-limit headers match too.
    const asNew = await h.signup(form, { remoteAddress: '10.0.0.1' });
    const asPending = await h.signup(form, { remoteAddress: '10.0.0.2' });
    const s = await h.app.store.subscribers.findByEmail('same@example.com');
    await h.app.store.subscribers.setStatus(s!.id, 'active', new Date().toISOString());
    const asActive = await h.signup(form, { remoteAddress: '10.0.0.3' });
    const shape = (r: typeof asNew) => {
      const { date: _date, ...headers } = r.headers;
      return { status: r.statusCode, headers, body: r.body };
    };
    expect(shape(asPending)).toEqual(shape(asNew));
    expect(shape(asActive)).toEqual(shape(asNew));
    expect(asNew.headers['set-cookie']).toBeUndefined();
    expect(h.mailer.sent.map((m) => m.subject)).toEqual([expect.stringContaining('Confirm'), expect.stringContaining('Confirm'), expect.stringMatching(/already subscribed/)]);
  });

  it('refreshes a pending signup but never changes an active reader; the active one gets an "already subscribed" email', async () => {
    await h.signup({ email: 'p@example.com', name: 'First', topics: ['world'] });
    await h.signup({ email: 'p@example.com', name: 'Second', topics: ['tech', 'sport'], timezone: 'Asia/Tokyo' });
    expect(await h.app.store.subscribers.findByEmail('p@example.com')).toMatchObject({ status: 'pending', name: 'Second', topics: ['tech', 'sport'], timezone: 'Asia/Tokyo' });
    expect(h.mailer.to('p@example.com').map((m) => m.subject)).toEqual([expect.stringContaining('Confirm'), expect.stringContaining('Confirm')]);

    const s = await h.app.store.subscribers.findByEmail('p@example.com');
    await h.app.store.subscribers.setStatus(s!.id, 'active', '2026-01-01T00:00:00.000Z');
    // Asking for topics the reader already follows: nothing to confirm (new topics get a Follow
    // confirmation instead; see follow-topic.test.ts).
    await h.signup({ email: 'p@example.com', name: 'Intruder', topics: ['tech'], timezone: 'UTC' });
    const after = await h.app.store.subscribers.findByEmail('p@example.com');
    expect(after).toMatchObject({ status: 'active', name: 'Second', topics: ['tech', 'sport'], timezone: 'Asia/Tokyo', confirmedAt: '2026-01-01T00:00:00.000Z' });
    const last = h.mailer.sent.at(-1)!;
    expect(last.subject).toMatch(/already subscribed/);
    expect(linkIn(last, 'https://digest.example/preferences/')).toContain('/preferences/p.');
  });

  it('a signup in another case of an active address is the same reader: "already subscribed", no second reader', async () => {
    await h.signup({ email: 'Kim.Ng@Example.com', topics: ['world'] });
    const s = await h.app.store.subscribers.findByEmail('kim.ng@example.com');
    await h.app.store.subscribers.setStatus(s!.id, 'active', '2026-01-01T00:00:00.000Z');
    await h.signup({ email: 'kim.ng@EXAMPLE.com', topics: ['tech'] });
    expect(await h.app.store.subscribers.count()).toBe(1);
    expect(await h.app.store.subscribers.findByEmail('KIM.NG@example.com')).toMatchObject({ id: s!.id, email: 'Kim.Ng@example.com', status: 'active', topics: ['world'] });
    expect(h.mailer.sent.at(-1)!.subject).toMatch(/already subscribed/);
  });

  it('puts an unsubscribed or bounced address back to pending with a fresh double opt-in, unpaused', async () => {
    for (const status of ['unsubscribed', 'bounced'] as const) {
      const email = `${status}@example.com`;
      await h.signup({ email, topics: ['world'] });
      const s = await h.app.store.subscribers.findByEmail(email);
      await h.app.store.subscribers.setStatus(s!.id, status, new Date().toISOString());
      await h.app.store.subscribers.updateProfile(s!.id, { paused: true }, new Date().toISOString());
      const r = await h.signup({ email, topics: ['climate'] });
      expect(r.statusCode).toBe(200);
      expect(await h.app.store.subscribers.findByEmail(email)).toMatchObject({ status: 'pending', topics: ['climate'], paused: false });
      expect(h.mailer.to(email).at(-1)!.subject).toContain('Confirm');
    }
  });

  it('shows the same page when the email cannot be sent', async () => {
    const ok = await h.signup({ email: 'x@example.com', topics: ['world'] });
    h.mailer.failing = true;
    const failed = await h.signup({ email: 'x@example.com', topics: ['world'] });
    expect(failed.statusCode).toBe(200);
    expect(failed.body).toBe(ok.body);
  });

  describe('CSRF', () => {
    it('refuses a POST without the token, without the cookie, or with a token from another session', async () => {
      const fields = { email: 'c@example.com', topics: ['world'], timezone: 'UTC' };
      const session = await h.openForm('/');
      const other = await h.openForm('/');
      const noToken = await h.post('/subscribe', fields, { cookies: session.cookies, csrf: '' });
      const noCookie = await h.post('/subscribe', fields, { cookies: {}, csrf: session.csrf });
      const crossed = await h.post('/subscribe', fields, { cookies: session.cookies, csrf: other.csrf.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) });
      const none = await h.post('/subscribe', fields, null);
      for (const r of [noToken, noCookie, crossed, none]) {
        expect(r.statusCode).toBe(403);
        expect(r.body).toContain('This form has expired');
      }
      expect(await h.app.store.subscribers.count()).toBe(0);
      expect(h.mailer.sent).toHaveLength(0);
      // The control: the same session with its real token goes through.
      expect((await h.post('/subscribe', fields, session)).statusCode).toBe(200);
    });
  });
});
