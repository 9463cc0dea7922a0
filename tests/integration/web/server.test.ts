import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ASSETS_DIR, PAGES_DIR, compilePages } from '../../../src/web/pages.js';
import { encodeForm, startWebHarness, type WebHarness } from '../../helpers/web-harness.js';

/** Cross-cutting behaviour: headers, assets, limits, health, errors. */

let h: WebHarness;
beforeEach(async () => {
  h = await startWebHarness();
});
afterEach(async () => {
  await h.close();
});

describe('web server', () => {
  it('sends security headers with a CSP that allows only our own assets', async () => {
    const r = await h.get('/');
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['x-frame-options']).toBe('DENY');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect(r.headers['strict-transport-security']).toMatch(/max-age=/);
  });

  it('serves its own CSS and script, and no page or asset refers to another origin', async () => {
    const css = await h.get('/assets/site.css');
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toMatch(/text\/css/);
    const js = await h.get('/assets/timezone.js');
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    for (const dir of [PAGES_DIR, join(PAGES_DIR, 'partials'), ASSETS_DIR]) {
      for (const f of readdirSync(dir).filter((n) => /\.(hbs|css|js)$/.test(n))) {
        const text = readFileSync(join(dir, f), 'utf8');
        expect(text, f).not.toMatch(/(src|href)=["']?(https?:)?\/\//i);
        expect(text, f).not.toMatch(/url\(\s*["']?(https?:)?\/\//i);
        expect(text, f).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
        expect(text, f).not.toMatch(/\son[a-z]+=/i);
      }
    }
  });

  it('compiles every page at boot and renders each inside the layout', () => {
    const pages = compilePages();
    expect(pages.names).toEqual(expect.arrayContaining(['signup', 'check-email', 'confirm', 'confirmed', 'link-problem', 'preferences', 'unsubscribe', 'unsubscribed', 'archive-index', 'error']));
    const html = pages.render('error', { title: '<T>', siteName: 'S' }, { message: '<b>x</b>' });
    expect(html).toContain('<title>&lt;T&gt; · S</title>');
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(html).toContain('<meta name="viewport"');
    expect(html).toContain('<html lang="en">');
  });

  it('GET /healthz answers 200 while the store works and 503 when it does not', async () => {
    const ok = await h.get('/healthz');
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ status: 'ok', mailQueue: { depth: 0, oldestAgeSeconds: 0, uncertain: 0 } });
    await h.app.store.close();
    const down = await h.get('/healthz');
    expect(down.statusCode).toBe(503);
  });

  it('refuses bodies over the limit with 413 before doing any work', async () => {
    const session = await h.openForm('/');
    const r = await h.server.inject({
      method: 'POST',
      url: '/subscribe',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      cookies: session.cookies,
      payload: encodeForm({ _csrf: session.csrf, email: 'big@example.com', topics: 'world', timezone: 'UTC', name: 'x'.repeat(20_000) }),
    });
    expect(r.statusCode).toBe(413);
    expect(r.body).toContain('too large');
    expect(await h.app.store.subscribers.count()).toBe(0);
  });

  it('answers unknown paths and methods with a friendly 404 page', async () => {
    const r = await h.get('/wp-admin');
    expect(r.statusCode).toBe(404);
    expect(r.body).toContain('Page not found');
    expect((await h.server.inject({ method: 'DELETE', url: '/' })).statusCode).toBe(404);
  });
});
