import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { createApp, type App } from '../../src/main.js';
import { compilePersonaliser } from '../../src/render/personalise.js';
import { renderAlreadySubscribedEmail, renderConfirmEmail, renderWelcomeEmail } from '../../src/render/transactional.js';
import { seedSampleData } from '../../src/seed/seed-sample-data.js';
import { buildServer } from '../../src/web/server.js';
import { axeViolations, launchChromium } from '../helpers/axe-browser.js';
import { tempDir, testConfig } from '../helpers/env.js';
import { freePort } from '../helpers/free-port.js';

/**
 * axe-core in Chromium on every web page and on the HTML of every email: zero violations. The
 * digest and welcome emails are also screenshotted at 600 and 375 px, light and dark, into
 * test-output/ for a person to look at.
 */

const SCREENSHOT_DIR = join(process.cwd(), 'test-output');
const NOW = new Date(Date.now() - 60_000);
let app: App;
let server: FastifyInstance;
let browser: Browser;
let context: BrowserContext;
let base: string;
let cleanup: () => void;
const emails: Record<string, string> = {};
const pages: Record<string, string> = {};

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const tmp = tempDir('td-a11y-');
  cleanup = tmp.cleanup;
  app = await createApp(testConfig(tmp.dir, { PUBLIC_URL: base, PRIVACY_URL: `${base}/privacy`, MAIL_REPLY_TO: 'desk@news.example' }), { logger: silentLogger });
  server = await buildServer(app);
  await server.listen({ port, host: '127.0.0.1' });
  await seedSampleData(app, { now: NOW });
  const summary = await app.runDigest({ now: new Date(NOW.getTime() + 1000), force: true });
  expect(summary.sent).toBeGreaterThan(0);

  const [edition] = await app.store.editions.listSent(1);
  const reader = (await app.store.subscribers.findByEmail('mei.lin@example.com'))!;
  const links = app.links.forSubscriber(reader);
  const stored = (await app.store.editions.get(edition!.key))!;
  const sender = { senderName: 'Topic Digest', senderAddress: '1 News Street, Example City' };
  emails.digest = compilePersonaliser(stored)({ name: reader.name, email: reader.email, ...links, viewOnlineUrl: app.links.archiveUrl(stored.key) }).html;
  emails.confirm = (await renderConfirmEmail({ ...sender, name: 'Mei', confirmUrl: app.links.confirmUrl(reader, 48), topicNames: ['Singapore', 'Asia'], expiresHours: 48, digestName: 'daily digest' })).html;
  emails.welcome = (
    await renderWelcomeEmail({ ...sender, name: 'Mei', topicNames: ['Singapore', 'Asia', 'Business'], firstDigest: 'tomorrow at 07:00 Asia/Singapore', sendTime: '07:00', timezone: 'Asia/Singapore', digestName: 'daily digest', cadence: 'each morning', archiveUrl: `${base}/archive`, fromAddress: 'digest@localhost', ...links })
  ).html;
  emails['already-subscribed'] = (await renderAlreadySubscribedEmail({ ...sender, name: 'Mei', preferencesUrl: links.preferencesUrl })).html;

  const pending = await app.store.subscribers.upsert({ email: 'pending@example.com', name: null, timezone: 'UTC', topics: ['world'], status: 'pending' }, NOW.toISOString());
  const pendingReader = (await app.store.subscribers.findById(pending.id))!;
  Object.assign(pages, {
    signup: '/',
    archive: '/archive',
    edition: `/archive/${edition!.key}`,
    topic: `/archive/topic/${stored.topics[0]}`,
    preferences: new URL(links.preferencesUrl).pathname,
    unsubscribe: new URL(links.unsubscribeUrl).pathname,
    confirm: new URL(app.links.confirmUrl(pendingReader, 48)).pathname,
    'not-found': '/archive/no-such-edition',
    'bad-link': '/preferences/forged-token',
  });

  browser = await launchChromium();
  context = await browser.newContext({ bypassCSP: false });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await app?.close();
  cleanup?.();
});

describe('axe-core, 0 violations', () => {
  it('on every web page', async () => {
    const page = await context.newPage();
    for (const [name, path] of Object.entries(pages)) {
      await page.goto(`${base}${path}`);
      expect(await axeViolations(page), name).toEqual([]);
    }
    // The page a signup leads to.
    await page.goto(`${base}/`);
    await page.getByLabel('Email address').fill('new.reader@example.com');
    await page.locator('input[name=topics]').first().check();
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/inbox/i);
    expect(await axeViolations(page), 'check-email').toEqual([]);
    await page.close();
  }, 120_000);

  it('on the HTML of every email: digest, confirm, welcome, already-subscribed', async () => {
    const page = await context.newPage();
    for (const [name, html] of Object.entries(emails)) {
      await page.setContent(html, { waitUntil: 'load' });
      expect(await axeViolations(page), name).toEqual([]);
    }
    await page.close();
  }, 120_000);
});

describe('digest tap targets', () => {
  it('footer links are at least 44 px tall on a phone', async () => {
    const page = await context.newPage();
    await page.setViewportSize({ width: 375, height: 800 });
    await page.setContent(emails.digest!, { waitUntil: 'load' });
    const heights = await page.evaluate(() =>
      [...document.querySelectorAll('a')]
        .filter((a) => ['Manage your topics', 'Unsubscribe', 'Privacy', 'Subscribe to Topic Digest'].includes(a.textContent ?? ''))
        .map((a) => [a.textContent, a.getBoundingClientRect().height] as const),
    );
    expect(heights.length).toBe(4);
    for (const [label, height] of heights) expect(height, String(label)).toBeGreaterThanOrEqual(44);
    await page.close();
  }, 60_000);
});

describe('email screenshots', () => {
  it('renders the digest and welcome at 600 and 375 px, light and dark', async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    for (const name of ['digest', 'welcome'] as const) {
      for (const width of [600, 375]) {
        for (const colorScheme of ['light', 'dark'] as const) {
          const page = await context.newPage();
          await page.setViewportSize({ width, height: 900 });
          await page.emulateMedia({ colorScheme });
          await page.setContent(emails[name]!, { waitUntil: 'load' });
          // Nothing may stick out sideways on a phone.
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          expect(overflow, `${name} ${width} ${colorScheme}`).toBeLessThanOrEqual(0);
          if (colorScheme === 'dark') {
            const bg = await page.evaluate(() => getComputedStyle(document.querySelector('.td-paper')!).backgroundColor);
            expect(bg, `${name} dark background`).toBe('rgb(30, 30, 30)');
          }
          await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${width}-${colorScheme}.png`), fullPage: true });
          await page.close();
        }
      }
    }
  }, 120_000);
});
