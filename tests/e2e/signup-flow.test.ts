import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { createApp, type App } from '../../src/main.js';
import { buildServer } from '../../src/web/server.js';
import { launchChromium } from '../helpers/axe-browser.js';
import { tempDir, testConfig } from '../helpers/env.js';
import { freePort } from '../helpers/free-port.js';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '../helpers/smtp-sink.js';

/**
 * The whole subscription journey in a real browser (Debian's chromium via playwright-core), with
 * the confirmation email read from a real SMTP server: sign up, open the confirmation link (which
 * changes nothing), press its button, change topics, unsubscribe, checking the store after each step.
 */

const SCREENSHOT_DIR = join(process.cwd(), 'test-output');
const EMAIL = 'browser.reader@example.com';

let sink: SmtpSink;
let app: App;
let server: FastifyInstance;
let browser: Browser;
let page: Page;
let base: string;
let cleanup: () => void;
const consoleErrors: string[] = [];

beforeAll(async () => {
  sink = await startSmtpSink();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const tmp = tempDir('topic-digest-e2e-');
  cleanup = tmp.cleanup;
  // The real nodemailer transport, pointed at the sink.
  app = await createApp(testConfig(tmp.dir, { SMTP_URL: sink.url, PUBLIC_URL: base, DIGEST_SEND_TIME: '07:30' }), { logger: silentLogger });
  server = await buildServer(app);
  await server.listen({ port, host: '127.0.0.1' });
  browser = await launchChromium();
  // A browser in Singapore: the page's script should pick that zone up by itself.
  const context = await browser.newContext({ timezoneId: 'Asia/Singapore', viewport: { width: 390, height: 844 } });
  page = await context.newPage();
  // A CSP violation or a script error shows up here; the flow must produce none.
  // Documents answer 4xx on purpose (a refused form); a failing sub-resource is a bug.
  page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && consoleErrors.push(m.text()));
  page.on('response', (r) => r.status() >= 400 && r.request().resourceType() !== 'document' && consoleErrors.push(`${r.status()} ${r.url()}`));
  page.on('pageerror', (e) => consoleErrors.push(e.message));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await app?.close();
  await sink?.close();
  cleanup?.();
});

const reader = () => app.store.subscribers.findByEmail(EMAIL);

async function mailMatching(subject: RegExp): Promise<ReceivedMail> {
  await sink.waitFor((ms) => ms.some((m) => m.to.includes(EMAIL) && subject.test(m.parsed.subject ?? '')), 15_000);
  return sink.to(EMAIL).filter((m) => subject.test(m.parsed.subject ?? '')).at(-1)!;
}

describe('signup flow in a browser', () => {
  it('signs up, confirms by email, changes topics and unsubscribes', async () => {
    // 1. The signup page.
    await page.goto(`${base}/`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Subscribe to the daily digest');
    expect(await page.locator('#timezone').inputValue()).toBe('Asia/Singapore');
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'signup-page.png'), fullPage: true });

    // 2. Tick two topics and submit.
    await page.getByLabel('Email address').fill(EMAIL);
    await page.getByLabel('Name (optional)').fill('Bea Reader');
    await page.getByRole('checkbox', { name: /^World/ }).check();
    await page.getByRole('checkbox', { name: /^Tech/ }).check();
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.waitForURL(`${base}/subscribe`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Check your inbox');
    expect(await reader()).toMatchObject({ status: 'pending', name: 'Bea Reader', topics: ['world', 'tech'], timezone: 'Asia/Singapore' });

    // 3. The confirmation email, over real SMTP.
    const confirm = await mailMatching(/Confirm/);
    expect(confirm.parsed.text).toContain('World and Tech');
    const confirmUrl = /http:\/\/127\.0\.0\.1:\d+\/confirm\/\S+/.exec(confirm.parsed.text ?? '')?.[0];
    expect(confirmUrl).toBeDefined();
    expect(String(confirm.parsed.html)).toContain(confirmUrl!);
    expect(confirm.headerLine('List-Unsubscribe')).toBeUndefined();

    // 4. Open the link: a page with the chosen topics and one button. Opening it (as a mail
    // scanner would) changes nothing and sends nothing.
    await page.goto(confirmUrl!);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Confirm your subscription');
    expect(await page.locator('.chosen-topics li').allTextContents()).toEqual(['World', 'Tech']);
    expect((await reader())!.status).toBe('pending');
    await page.reload();
    expect((await reader())!).toMatchObject({ status: 'pending', confirmedAt: null });
    expect(sink.to(EMAIL).filter((m) => /Welcome/.test(m.parsed.subject ?? ''))).toHaveLength(0);

    // 5. Click the button (a real, focusable button in a plain form): active, welcome page and email.
    const confirmButton = page.getByRole('button', { name: 'Confirm my subscription' });
    await confirmButton.focus();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Confirm my subscription');
    await confirmButton.click();
    await page.getByRole('heading', { level: 1, name: 'You are subscribed' }).waitFor();
    expect(page.url()).toBe(confirmUrl);
    expect(await page.locator('.chosen-topics li').allTextContents()).toEqual(['World', 'Tech']);
    expect((await reader())!.status).toBe('active');
    const welcome = await mailMatching(/Welcome/);
    expect(welcome.parsed.text).toContain('07:30');

    // 6. Preferences: swap Tech for Climate and save.
    await page.getByRole('link', { name: 'Change your topics' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Your digest preferences');
    await page.getByRole('checkbox', { name: /^Tech/ }).uncheck();
    await page.getByRole('checkbox', { name: /^Climate/ }).check();
    await page.locator('#timezone').selectOption('Europe/Paris');
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await page.getByText('Your preferences are saved.').waitFor();
    expect(await reader()).toMatchObject({ status: 'active', topics: ['world', 'climate'], timezone: 'Europe/Paris' });

    // An empty selection is refused with a message, and nothing changes.
    for (const box of await page.getByRole('checkbox').all()) await box.uncheck();
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await page.getByText('Choose at least one topic.').first().waitFor();
    expect((await reader())!.topics).toEqual(['world', 'climate']);

    // 7. Unsubscribe from the preferences page.
    await page.getByRole('button', { name: 'Unsubscribe from all digests' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('You are unsubscribed');
    expect(await page.getByRole('link', { name: 'Subscribe again' }).getAttribute('href')).toBe('/');
    expect((await reader())!.status).toBe('unsubscribed');
    expect(consoleErrors).toEqual([]);
  }, 120_000);

  it('works from the keyboard alone: tab to a topic, tick it with space', async () => {
    await page.goto(`${base}/`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.getByLabel('Email address').focus();
    await page.keyboard.press('Tab'); // name
    await page.keyboard.press('Tab'); // first topic
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value)).toBe('world');
    await page.keyboard.press('Space');
    expect(await page.getByRole('checkbox', { name: /^World/ }).isChecked()).toBe(true);
    expect(consoleErrors).toEqual([]);
  }, 60_000);
});
