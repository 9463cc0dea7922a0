import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { createApp, type App } from '../../src/main.js';
import { buildServer } from '../../src/web/server.js';
import { axeViolations as axeOn, launchChromium } from '../helpers/axe-browser.js';
import { tempDir, testConfig } from '../helpers/env.js';
import { freePort } from '../helpers/free-port.js';

/** The article page and /follow/<topic> in Debian's Chromium at phone size, checked with axe-core. */

let app: App;
let server: FastifyInstance;
let browser: Browser;
let page: Page;
let base: string;
let cleanup: () => void;
let storyPath: string;

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const tmp = tempDir('topic-digest-article-');
  cleanup = tmp.cleanup;
  app = await createApp(testConfig(tmp.dir, { PUBLIC_URL: base, SEED_SAMPLE_DATA: 'false' }), { logger: silentLogger });
  const { id } = await app.store.articles.upsert(
    {
      key: 'hash:test-story',
      url: null,
      title: 'Harbour cranes idle as dock strike enters second week',
      summary: 'Unions and port operators will meet again on Monday.',
      body: 'HARBOUR CITY - Cranes stood still on Tuesday.\n\nTalks broke down late on Friday over pay.\n\nBoth sides say they want a deal before the holidays.',
      image: { url: '/static/harbour-skyline.png', caption: 'Cranes stand idle at the container terminal on January 21, 2025.', credit: 'Jo Bloggs/Example Wire' },
      source: 'EXAMPLE WIRE',
      publishedAt: '2025-01-21T08:00:00.000Z',
      topics: ['china', 'world'],
    },
    '2025-01-21T08:00:00.000Z',
  );
  storyPath = `/articles/${id}-harbour-cranes-idle-as-dock-strike-enters-second-week`;
  server = await buildServer(app);
  await server.listen({ port, host: '127.0.0.1' });
  browser = await launchChromium();
  // bypassCSP only so the test can inject axe; the pages' own CSP is checked through headers below.
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, bypassCSP: true });
  page = await context.newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await app?.close();
  cleanup?.();
});

/** Every axe violation on the current page, whatever its impact. */
async function axeViolations(): Promise<string[]> {
  return (await axeOn(page)).map((v) => `${v.id} (${v.targets.length})`);
}

describe('article page', () => {
  it('shows headline, photo with caption and credit, paragraphs, source, time and Follow links; axe-clean on a phone', async () => {
    const res = await page.goto(`${base}${storyPath}`);
    expect(res!.status()).toBe(200);
    expect(await page.locator('h1').textContent()).toBe('Harbour cranes idle as dock strike enters second week');
    expect(await page.locator('figure img').getAttribute('src')).toBe(`${base}/static/harbour-skyline.png`);
    expect(await page.locator('figcaption').textContent()).toContain('Jo Bloggs/Example Wire');
    expect(await page.locator('article.story > p').count()).toBeGreaterThanOrEqual(4);
    expect(await page.locator('time').getAttribute('datetime')).toBe('2025-01-21T08:00:00.000Z');
    expect(await page.locator('a[href="/follow/china"]').count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    expect(await axeViolations()).toEqual([]);
  }, 60_000);

  it('redirects a stale slug, and answers 404 for an unknown story', async () => {
    const id = storyPath.split('/')[2]!.split('-')[0];
    const r = await server.inject({ method: 'GET', url: `/articles/${id}-old-headline` });
    expect(r.statusCode).toBe(301);
    expect(r.headers.location).toBe(storyPath);
    expect((await server.inject({ method: 'GET', url: '/articles/99999-nothing' })).statusCode).toBe(404);
  });
});

describe('/follow/<topic>', () => {
  it('opens the signup form with the topic ticked and named in the heading', async () => {
    await page.goto(`${base}/follow/china`);
    expect(await page.locator('h1').textContent()).toBe('Follow China');
    expect(await page.locator('#topic-china').isChecked()).toBe(true);
    expect(await page.locator('input[name=topics]:checked').count()).toBe(1);
    expect(await axeViolations()).toEqual([]);
  }, 60_000);

  it('gives an unknown topic a 404 page listing the topics', async () => {
    const res = await page.goto(`${base}/follow/astrology`);
    expect(res!.status()).toBe(404);
    expect(await page.locator('a[href="/follow/china"]').count()).toBe(1);
    expect(await page.content()).toContain('astrology');
    expect(await axeViolations()).toEqual([]);
  }, 60_000);
});
