import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminBrowser, type AdminBrowser } from '../../../helpers/admin-browser.js';
import { adminRoutes as sweptRoutes, HOSTILE, OPEN_ADMIN_ROUTES, routeLabel, seedHostileWorld, urlsFor as urlsOf } from '../../../helpers/admin-sweep.js';
import { startWebHarness, type WebHarness } from '../../../helpers/web-harness.js';

/**
 * A sweep over every console route the server has registered (read from `server.routeTable`, so
 * pages added later are covered without being listed here): hostile names, titles, topic names,
 * source names and webhook URLs are shown inert on every page; no page or API endpoint shows
 * anything without a session or token; every form refuses a missing or wrong CSRF token.
 */

const ADMIN = 'editor@example.com';
/** Reflected through the query string of every page. */
const REFLECTED = '"><script>alert(9)</script>';
let h: WebHarness;
let b: AdminBrowser;
let samples: string[];

beforeAll(async () => {
  h = await startWebHarness({ ADMIN_EMAILS: ADMIN, SEED_SAMPLE_DATA: 'false' });
  samples = await seedHostileWorld(h.app);
  b = await adminBrowser(h, ADMIN);
}, 60_000);
afterAll(() => h?.close());

const adminRoutes = (method: string) => sweptRoutes(h.server, method);
const urlsFor = (pattern: string) => urlsOf(pattern, samples);
const OPEN = OPEN_ADMIN_ROUTES;
const label = routeLabel;

/** The text a browser would show: HTML entities decoded, tags left as they are. */
function decoded(html: string): string {
  const named: Record<string, string> = { lt: '<', gt: '>', quot: '"', amp: '&', apos: "'" };
  return html.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => (e[0] === '#' ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : (named[e] ?? m)));
}

describe('hostile stored values', () => {
  it('are shown inert on every admin page, and each is really shown somewhere', async () => {
    const shown = new Set<string>();
    const checked: string[] = [];
    for (const route of adminRoutes('GET')) {
      if (OPEN.includes(label(route))) continue;
      let ok = 0;
      for (const url of urlsFor(route.url)) {
        const r = await b.get(url);
        if (r.statusCode === 404) continue;
        expect(r.statusCode, url).toBe(200);
        ok++;
        for (const [name, value] of Object.entries(HOSTILE)) {
          expect(r.body, `${url} shows ${name} as live markup`).not.toContain(value);
          if (decoded(r.body).includes(value)) shown.add(name);
        }
        checked.push(url);
      }
      expect(ok, `no sample value opens ${label(route)}: give the sweep one`).toBeGreaterThan(0);
    }
    expect([...shown].sort(), `pages checked: ${checked.join(' ')}`).toEqual(Object.keys(HOSTILE).sort());
    // The reader's detail page is where the name is the heading.
    const xss = (await h.app.store.subscribers.findByEmail('xss@example.com'))!;
    expect((await b.get(`/admin/subscribers/${xss.id}`)).body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('a hostile query string is never reflected as markup on any page', async () => {
    const query = new URLSearchParams(Object.fromEntries(['q', 'done', 'settled', 'error', 'message', 'days', 'page', 'topic', 'status'].map((k) => [k, REFLECTED]))).toString();
    for (const route of adminRoutes('GET')) {
      for (const url of urlsFor(route.url).slice(0, 3)) {
        const r = await b.get(`${url}?${query}`);
        expect(r.body, `${url} reflects the query`).not.toContain(REFLECTED);
        expect(r.body).not.toContain('<script>alert(9)');
      }
    }
  });
});

describe('without a session or token', () => {
  const snapshot = async () => {
    const db = h.app.store.db;
    return JSON.stringify([
      await db.selectFrom('subscribers').select(['id', 'status', 'paused', 'name']).orderBy('id').execute(),
      await db.selectFrom('webhooks').select(['id', 'url']).orderBy('id').execute(),
      await db.selectFrom('webhook_deliveries').select(['id', 'status', 'next_attempt_at']).orderBy('id').execute(),
      await db.selectFrom('deliveries').select(['id', 'status']).orderBy('id').execute(),
      await db.selectFrom('settings').selectAll().execute(),
    ]);
  };

  it('every /admin page and form answers 302 to the login page with an empty body; only sign-in is open', async () => {
    const before = await snapshot();
    const stranger = await h.openForm('/admin/login'); // a real CSRF pair, so only the session can refuse
    const open: string[] = [];
    for (const route of [...adminRoutes('GET'), ...adminRoutes('POST')]) {
      for (const url of urlsFor(route.url).slice(0, 5)) {
        const r: LightMyRequestResponse = route.method === 'GET' ? await h.get(url) : await h.post(url, { id: samples[0], outcome: 'delivered', url: 'https://evil.example/h', events: 'subscriber.created' }, stranger);
        if (r.statusCode !== 302 || r.headers.location !== '/admin/login') {
          open.push(label(route));
          break;
        }
        expect(r.body, url).toBe('');
      }
    }
    expect([...new Set(open)].sort()).toEqual([...OPEN].sort());
    expect(await snapshot()).toBe(before);
  });

  it('every /api/v1 admin endpoint answers 401, even to a signed-in console session', async () => {
    const api = h.server.routeTable.filter((r) => r.url.startsWith('/api/v1/') && r.method !== 'HEAD' && r.url !== '/api/v1/openapi.json');
    expect(api.length).toBeGreaterThan(5);
    for (const route of api) {
      const url = route.url.replace(/:[A-Za-z]+/g, samples[0]!);
      for (const cookies of [{}, b.jar]) {
        const r = await h.server.inject({ method: route.method as 'GET', url, cookies, ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: { email: 'x@example.com', topics: ['world'] } }) });
        expect(r.statusCode, label(route)).toBe(401);
        expect(r.body).not.toContain('@example.com');
      }
    }
  });
});

describe('CSRF', () => {
  it('every admin form refuses a missing or wrong token, with a session, and changes nothing', async () => {
    const posts = adminRoutes('POST');
    expect(posts.length).toBeGreaterThan(8);
    const state = async () => JSON.stringify([await h.app.store.admin.pauseState(), await h.app.store.webhooks.list(), await h.app.store.subscribers.list()]);
    const before = await state();
    for (const route of posts) {
      const url = route.url.replace(/:action/, 'pause').replace(/:[A-Za-z]+/g, samples[0]!);
      await b.get('/admin');
      const fields = { id: samples[0]!, outcome: 'delivered', url: 'https://evil.example/h', events: 'subscriber.created', email: ADMIN };
      expect((await b.post(url, fields, false)).statusCode, `${label(route)} without a token`).toBe(403);
      expect((await b.post(url, { ...fields, _csrf: 'forged-token-value' }, false)).statusCode, `${label(route)} with a wrong token`).toBe(403);
    }
    expect(await state()).toBe(before);
    expect(h.mailer.sent.filter((m) => m.to.address === ADMIN)).toHaveLength(1); // only the sign-in link
  });
});
