import type { LightMyRequestResponse } from 'fastify';
import type { Page } from 'playwright-core';
import type { App } from '../../src/main.js';
import { afterEach, beforeEach } from 'vitest';
import { csrfTokenIn, linkIn, pathOf, startWebHarness, type WebHarness } from './web-harness.js';

/** Asks /admin/login for a link for `email`, follows the emailed link, and returns the sign-in response. */
export async function signInByEmail(h: WebHarness, email: string) {
  await h.post('/admin/login', { email }, await h.openForm('/admin/login'));
  const mail = h.mailer.sent.at(-1)!;
  const path = pathOf(linkIn(mail, `${h.app.config.web.publicUrl}/admin/login/`));
  const form = await h.openForm(path);
  const r = await h.post(path, {}, form);
  return { r, path, cookies: Object.fromEntries(r.cookies.map((c) => [c.name, c.value])) };
}

/** A signed-in console user: a cookie jar that GETs, and POSTs with the last page's CSRF token, like a browser. */
export interface AdminBrowser {
  jar: Record<string, string>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, fields?: Record<string, string>, withCsrf?: boolean): Promise<LightMyRequestResponse>;
}

/** Signs `email` in and returns its {@link AdminBrowser}. */
export async function adminBrowser(h: WebHarness, email: string): Promise<AdminBrowser> {
  const { cookies } = await signInByEmail(h, email);
  const jar: Record<string, string> = { ...cookies };
  let csrf = '';
  const keep = (r: LightMyRequestResponse) => {
    for (const c of r.cookies) jar[c.name] = c.value;
    csrf = csrfTokenIn(r.body) ?? csrf;
    return r;
  };
  return {
    jar,
    get: async (url) => keep(await h.server.inject({ method: 'GET', url, cookies: jar })),
    post: async (url, fields = {}, withCsrf = true) =>
      keep(
        await h.server.inject({
          method: 'POST',
          url,
          cookies: jar,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ ...(withCsrf ? { _csrf: csrf } : {}), ...fields }).toString(),
        }),
      ),
  };
}

/**
 * Signs `email` in to the console in a real browser page the way `admin link` does: a one-time
 * link straight from the store, then the "Sign in" button. Waits for the overview.
 */
export async function signInPage(page: Page, app: App, baseUrl: string, email: string): Promise<void> {
  const token = await app.store.admin.createLoginToken(email, new Date(), 15 * 60_000);
  await page.goto(`${baseUrl}/admin/login/${token}`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${baseUrl}/admin`);
}

/**
 * Before each test: a fresh web harness with `email` allowed into the console and signed in,
 * handed to `use`; the harness is closed after the test.
 */
export function signedInEachTest(email: string, use: (h: WebHarness, b: AdminBrowser) => void): void {
  let h: WebHarness | undefined;
  beforeEach(async () => {
    h = await startWebHarness({ ADMIN_EMAILS: email });
    use(h, await adminBrowser(h, email));
  });
  afterEach(async () => {
    await h?.close();
  });
}
