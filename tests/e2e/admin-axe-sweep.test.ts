import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminRoutes, OPEN_ADMIN_ROUTES, routeLabel, seedHostileWorld, urlsFor } from '../helpers/admin-sweep.js';
import { seriousAxeViolations } from '../helpers/axe-browser.js';
import { startConsoleInChromium, type ConsoleInChromium } from '../helpers/console-chromium.js';

/**
 * Every console page the server registered, opened in Chromium on a phone-sized screen over a
 * world full of hostile markup: each page is axe-clean (with the hostile texts in its labels and
 * headings), and no script runs. Escaping is checked byte for byte by the integration sweep
 * (admin-security-sweep.test.ts); here the CSP stands behind it, so a dialog means both failed.
 * Pages added later are swept automatically.
 */

const ADMIN = 'editor@example.com';

let c: ConsoleInChromium;
let page: Page;
let samples: string[] = [];
const dialogs: string[] = [];

beforeAll(async () => {
  c = await startConsoleInChromium(ADMIN, {}, async (app) => {
    samples = await seedHostileWorld(app);
  });
  page = c.page;
  page.on('dialog', (d) => {
    dialogs.push(`${page.url()}: ${d.message()}`);
    void d.dismiss();
  });
}, 120_000);
afterAll(() => c?.close());

describe('every console page in Chromium', () => {
  it('runs no hostile script and is axe-clean', async () => {
    const session = Object.fromEntries((await page.context().cookies()).map((c) => [c.name, c.value]));
    const findings: string[] = [];
    const opened: string[] = [];
    for (const route of adminRoutes(c.server, 'GET')) {
      if (OPEN_ADMIN_ROUTES.includes(routeLabel(route))) continue;
      let pages = 0;
      for (const url of urlsFor(route.url, samples)) {
        // Asking the server first keeps the browser to the pages that exist.
        if ((await c.server.inject({ method: 'GET', url, cookies: session })).statusCode === 404) continue;
        const response = await page.goto(`${c.base}${url}`);
        expect(response?.status(), url).toBe(200);
        opened.push(url);
        // A sandboxed page (an email's HTML as sent) runs no script at all, axe included.
        const sandboxed = /\bsandbox\b/.test(response?.headers()['content-security-policy'] ?? '');
        // One page per route is enough for axe; every page is still opened for the script check.
        if (pages++ === 0 && !sandboxed) for (const v of await seriousAxeViolations(page)) findings.push(`${url}: ${v.id} (${v.help}) at ${v.targets.join(', ')}`);
      }
      expect(pages, `no sample value opens ${routeLabel(route)}`).toBeGreaterThan(0);
    }
    expect(opened.length).toBeGreaterThan(8);
    expect(dialogs).toEqual([]);
    expect(findings).toEqual([]);
  }, 150_000);
});
