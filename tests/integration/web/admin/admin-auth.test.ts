import { afterEach, describe, expect, it } from 'vitest';
import { adminBrowser, signInByEmail } from '../../../helpers/admin-browser.js';
import { startWebHarness, type WebHarness } from '../../../helpers/web-harness.js';

/** /admin sign-in: one-time emailed links, server-side sessions, CSRF, no enumeration. */

const ADMIN = 'editor@example.com';
let h: WebHarness;
afterEach(async () => {
  await h?.close();
});

async function start(env: Record<string, string> = {}) {
  h = await startWebHarness({ ADMIN_EMAILS: `${ADMIN.toUpperCase()}, chief@example.com`, ...env });
  return h;
}

const signIn = (email = ADMIN) => signInByEmail(h, email);

describe('without a session', () => {
  it('every /admin page and action redirects to the login page and shows no data', async () => {
    await start();
    for (const url of ['/admin', '/admin/', '/admin/deliveries', '/admin/anything']) {
      const r = await h.get(url);
      expect(r.statusCode, url).toBe(302);
      expect(r.headers.location).toBe('/admin/login');
      expect(r.body).toBe('');
    }
    const form = await h.openForm('/admin/login');
    const r = await h.post('/admin/pause', {}, form);
    expect(r.statusCode).toBe(302);
    expect((await h.app.store.admin.pauseState()).paused).toBe(false);
  });

  it('a forged session cookie is refused', async () => {
    await start();
    const r = await h.server.inject({ method: 'GET', url: '/admin', cookies: { '__Host-td_admin': 'A'.repeat(43) } });
    expect(r.statusCode).toBe(302);
  });
});

describe('the login form', () => {
  it('emails a listed address one link; an unlisted address gets the same page and no email', async () => {
    await start();
    const listed = await h.post('/admin/login', { email: 'Editor@Example.com' }, await h.openForm('/admin/login'));
    expect(h.mailer.sent).toHaveLength(1);
    expect(h.mailer.sent[0]!.to.address).toBe(ADMIN);
    const unlisted = await h.post('/admin/login', { email: 'intruder@example.com' }, await h.openForm('/admin/login'));
    const garbage = await h.post('/admin/login', { email: 'not an address' }, await h.openForm('/admin/login'));
    expect(h.mailer.sent).toHaveLength(1);
    expect(await h.app.store.db.selectFrom('mail_queue').select('id').execute()).toHaveLength(1);
    const strip = (body: string) => body.replace(/value="[^"]+"/g, '');
    expect(unlisted.statusCode).toBe(listed.statusCode);
    expect(strip(unlisted.body)).toBe(strip(listed.body));
    expect(strip(garbage.body)).toBe(strip(listed.body));
  });

  it('refuses a POST without CSRF', async () => {
    await start();
    const r = await h.post('/admin/login', { email: ADMIN }, null);
    expect(r.statusCode).toBe(403);
    expect(h.mailer.sent).toHaveLength(0);
  });

  it('is rate limited per client', async () => {
    await start();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await h.post('/admin/login', { email: 'x@example.com' }, await h.openForm('/admin/login'))).statusCode);
    expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });
});

describe('the emailed link', () => {
  it('its GET only shows a button; its POST signs in with a hardened cookie', async () => {
    await start();
    const { r, path, cookies } = await signIn();
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe('/admin');
    const cookie = r.cookies.find((c) => c.name === '__Host-td_admin')!;
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/', maxAge: 12 * 3600 });
    expect(cookie.domain).toBeUndefined();
    // Only the hash is stored.
    const stored = await h.app.store.db.selectFrom('admin_sessions').selectAll().execute();
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(cookie.value);
    expect(JSON.stringify(await h.app.store.db.selectFrom('admin_login_tokens').selectAll().execute())).not.toContain(path.split('/').at(-1));
    const page = await h.server.inject({ method: 'GET', url: '/admin', cookies });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Today');
  });

  it('works once', async () => {
    await start();
    const { path } = await signIn();
    const again = await h.post(path, {}, await h.openForm(path));
    expect(again.statusCode).toBe(400);
    expect(again.cookies.find((c) => c.name === '__Host-td_admin')).toBeUndefined();
  });

  it('refuses a forged token and an expired one', async () => {
    await start();
    const forged = '/admin/login/' + 'B'.repeat(43);
    expect((await h.post(forged, {}, await h.openForm(forged))).statusCode).toBe(400);
    const old = await h.app.store.admin.createLoginToken(ADMIN, new Date(Date.now() - 16 * 60_000), 15 * 60_000);
    const expired = `/admin/login/${old}`;
    expect((await h.post(expired, {}, await h.openForm(expired))).statusCode).toBe(400);
    const fresh = await h.app.store.admin.createLoginToken(ADMIN, new Date(Date.now() - 14 * 60_000), 15 * 60_000);
    expect((await h.post(`/admin/login/${fresh}`, {}, await h.openForm(`/admin/login/${fresh}`))).statusCode).toBe(303);
  });

  it('needs CSRF to sign in, and the token survives a refused attempt', async () => {
    await start();
    const token = await h.app.store.admin.createLoginToken(ADMIN, new Date(), 15 * 60_000);
    expect((await h.post(`/admin/login/${token}`, {}, null)).statusCode).toBe(403);
    expect((await h.post(`/admin/login/${token}`, {}, await h.openForm(`/admin/login/${token}`))).statusCode).toBe(303);
  });

  it('a token for an address since removed from ADMIN_EMAILS does not sign in', async () => {
    await start();
    const token = await h.app.store.admin.createLoginToken('former@example.com', new Date(), 15 * 60_000);
    expect((await h.post(`/admin/login/${token}`, {}, await h.openForm(`/admin/login/${token}`))).statusCode).toBe(400);
  });
});

describe('sessions', () => {
  it('sign-out ends the session on the server, not just the cookie', async () => {
    await start();
    const b = await adminBrowser(h, ADMIN);
    const cookies = { ...b.jar };
    await b.get('/admin');
    expect((await b.post('/admin/logout', {}, false)).statusCode).toBe(403);
    const out = await b.post('/admin/logout');
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe('/admin/login');
    // The old cookie value, replayed, no longer works.
    expect((await h.server.inject({ method: 'GET', url: '/admin', cookies })).statusCode).toBe(302);
  });

  it('expires after 12 hours', async () => {
    await start();
    const secret = await h.app.store.admin.createSession(ADMIN, new Date(Date.now() - 12 * 3_600_000 - 1000), 12 * 3_600_000);
    expect((await h.server.inject({ method: 'GET', url: '/admin', cookies: { '__Host-td_admin': secret } })).statusCode).toBe(302);
  });

  it('on plain http the cookie has no __Host- prefix (browsers would drop it) and is not Secure', async () => {
    await start({ PUBLIC_URL: 'http://localhost:3000' });
    const { r } = await signIn();
    const cookie = r.cookies.find((c) => c.name === 'td_admin')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie.secure).toBeFalsy();
  });
});

describe('pause all sending', () => {
  it('the overview pauses and resumes, with CSRF', async () => {
    await start();
    const b = await adminBrowser(h, ADMIN);
    expect((await b.get('/admin')).body).toContain('Pause all sending');
    expect((await b.post('/admin/pause', {}, false)).statusCode).toBe(403);
    expect((await b.post('/admin/pause')).statusCode).toBe(303);
    expect(await h.app.store.admin.pauseState()).toMatchObject({ paused: true, by: ADMIN });
    expect((await b.get('/admin')).body).toContain('All sending is paused');
    expect((await b.post('/admin/resume')).statusCode).toBe(303);
    expect((await h.app.store.admin.pauseState()).paused).toBe(false);
  });
});
