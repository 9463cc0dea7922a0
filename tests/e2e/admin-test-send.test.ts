import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { createApp, type App } from '../../src/main.js';
import { buildServer } from '../../src/web/server.js';
import { expectAxeClean as expectAxeCleanIn, launchChromium, phonePage } from '../helpers/axe-browser.js';
import { seedWorld } from '../helpers/digest-world.js';
import { tempDir, testConfig } from '../helpers/env.js';
import { freePort } from '../helpers/free-port.js';
import { runCliCaptured } from '../helpers/run-cli.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';

/**
 * "Send a test" and the overview in Debian's Chromium at phone width, over a real SMTP server:
 * sign in with `admin link`, send a test of two topics to a reader's address, see it arrive
 * marked and the ledger untouched; the overview's charts and tables axe-clean and readable.
 */

const ADMIN = 'editor@example.com';
const HOSTILE = '<script>alert(1)</script>';

let app: App;
let server: FastifyInstance;
let sink: SmtpSink;
let browser: Browser;
let page: Page;
let env: Record<string, string>;
let cleanup: () => void;
const dialogs: string[] = [];

beforeAll(async () => {
  const port = await freePort();
  const tmp = tempDir('topic-digest-e2e-test-send-');
  cleanup = tmp.cleanup;
  sink = await startSmtpSink();
  env = {
    DATABASE_URL: `sqlite:${tmp.dir}/console.db`,
    SMTP_URL: sink.url,
    SECRET_KEY: 'test-secret-key-that-is-long-enough-0123456789',
    LOG_LEVEL: 'silent',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    ADMIN_EMAILS: ADMIN,
  };
  app = await createApp(testConfig(tmp.dir, env), { logger: silentLogger });
  await seedWorld(app, new Date(), {
    articles: [
      { title: 'Harbour reopens', topics: ['world'], minutesAgo: 30 },
      { title: 'Chips rally', topics: ['tech'], minutesAgo: 20 },
    ],
    readers: [{ email: 'xss@example.com', name: HOSTILE, topics: ['world'] }],
  });
  server = await buildServer(app);
  await server.listen({ port, host: '127.0.0.1' });
  browser = await launchChromium();
  page = await phonePage(browser, dialogs, { width: 360, height: 780 });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await app?.close();
  await sink?.close();
  cleanup?.();
});

const expectAxeClean = () => expectAxeCleanIn(page);

/** Nothing wider than the phone's screen: no sideways scrolling to read the page. */
async function expectFitsPhone(): Promise<void> {
  const { scroll, width, wide } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: window.innerWidth,
    wide: [...document.querySelectorAll('main *')].filter((e) => !e.closest('.table-scroll') && e.getBoundingClientRect().right > window.innerWidth).map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`).slice(0, 8),
  }));
  expect(scroll, wide.join(', ')).toBeLessThanOrEqual(width);
}

describe('send a test, in a browser', () => {
  it('signs in through `admin link`', async () => {
    const run = await runCliCaptured(['admin', 'link'], env);
    expect(run.code, run.err).toBe(0);
    await page.goto(run.out.at(-1)!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${env.PUBLIC_URL}/admin`);
  });

  it('sends a test of two topics to a reader; it arrives marked, and nothing is recorded', async () => {
    await page.getByRole('link', { name: 'Send a test' }).click();
    await expectAxeClean();
    await expectFitsPhone();
    await page.getByLabel('Send to').fill('xss@example.com');
    await page.getByRole('checkbox', { name: /^World/ }).check();
    await page.getByRole('checkbox', { name: /^Tech/ }).check();
    await page.getByRole('button', { name: 'Send the test' }).click();
    const status = page.locator('[role=status]');
    expect(await status.textContent()).toContain('Sent “[Test] ');
    // The reader's hostile name is shown, as text.
    expect(await status.textContent()).toContain(HOSTILE);
    expect(await page.locator('main script').count()).toBe(0);
    await expectAxeClean();
    await expectFitsPhone();

    await sink.waitFor((m) => m.length === 1);
    const mail = sink.messages[0]!;
    expect(mail.to).toEqual(['xss@example.com']);
    expect(mail.parsed.subject).toMatch(/^\[Test\] /);
    expect(mail.parsed.headers.get('x-topic-digest-test')).toBe('1');
    expect(mail.parsed.text).toContain('Harbour reopens');
    expect(mail.parsed.text).toContain('Chips rally');
    expect(await app.store.db.selectFrom('deliveries').selectAll().execute()).toEqual([]);
    expect(dialogs).toEqual([]);
  });

  it('says so, and sends nothing, for a set without stories', async () => {
    await page.getByRole('checkbox', { name: /^World/ }).uncheck();
    await page.getByRole('checkbox', { name: /^Tech/ }).uncheck();
    await page.getByRole('checkbox', { name: /^Climate/ }).check();
    await page.getByRole('button', { name: 'Send the test' }).click();
    expect(await page.locator('[role=alert]').textContent()).toContain('no stories on those topics');
    await expectAxeClean();
    expect(sink.messages).toHaveLength(1);
  });

  it('the overview shows the next tick, the four charts with their table, and followers by topic, axe-clean at phone width', async () => {
    await page.getByRole('link', { name: 'Overview' }).click();
    expect(await page.locator('[data-next-tick]').count()).toBe(1);
    expect(await page.locator('svg.chart').count()).toBe(4);
    for (const name of ['Digests sent', 'Bounces', 'Complaints', 'Unsubscribes']) expect(await page.getByRole('img', { name: new RegExp(`^${name}`) }).count()).toBe(1);
    // The test send is not a send: the chart and table say nothing went out.
    expect(await page.locator('[data-chart-total="sent"]').textContent()).toBe('0');
    expect(await page.locator('[data-topic="world"] td').first().textContent()).toBe('1');
    await expectAxeClean();
    await expectFitsPhone();
  });
});
