import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { createApp, type App } from '../../src/main.js';
import { buildServer } from '../../src/web/server.js';
import { createCaptureMailer } from '../helpers/capture-mailer.js';
import { axeViolations as axeOn, launchChromium } from '../helpers/axe-browser.js';
import { tempDir, testConfig } from '../helpers/env.js';
import { freePort } from '../helpers/free-port.js';
import { findInSqliteFile } from '../helpers/scan-sqlite.js';

/**
 * A reader's own settings and data in a real browser (Debian's chromium via playwright-core):
 * choose weekly on Friday at 06:30, switch back to daily from a digest's footer link, download
 * the data, delete themselves. Each page is checked with axe-core.
 */

const EMAIL = 'pref.reader@example.com';

let app: App;
let server: FastifyInstance;
let browser: Browser;
let page: Page;
let base: string;
let cleanup: () => void;
let dbFile: string;

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const tmp = tempDir('topic-digest-e2e-prefs-');
  cleanup = tmp.cleanup;
  const config = testConfig(tmp.dir, { PUBLIC_URL: base, DIGEST_SEND_TIME: '07:00' });
  dbFile = config.database.kind === 'sqlite' ? config.database.path : '';
  app = await createApp(config, { logger: silentLogger, mailer: createCaptureMailer() });
  server = await buildServer(app);
  await server.listen({ port, host: '127.0.0.1' });
  browser = await launchChromium();
  page = await (await browser.newContext({ acceptDownloads: true })).newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await app?.close();
  cleanup?.();
});

/** Serious or critical axe-core violations on the current page. */
async function axeViolations(): Promise<string[]> {
  return (await axeOn(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
}

describe('preferences flow in a browser', () => {
  it('changes frequency and hour, switches from the footer link, downloads the data and deletes the reader', async () => {
    const { id } = await app.store.subscribers.upsert({ email: EMAIL, name: 'Pat', timezone: 'Europe/Paris', topics: ['world'], status: 'active' }, new Date().toISOString());
    const s = (await app.store.subscribers.findById(id))!;
    const prefsUrl = app.links.forSubscriber(s).preferencesUrl;

    // 1. Weekly on Friday at 06:30.
    await page.goto(prefsUrl);
    expect(await page.locator('body').textContent()).toContain('daily at 07:00');
    await page.getByLabel('Once a week').check();
    await page.getByLabel('Day for a weekly digest').selectOption('friday');
    await page.getByLabel('Time of day').selectOption('06:30');
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await page.getByText('Your preferences are saved.').waitFor();
    expect(await page.locator('body').textContent()).toContain('weekly on Friday at 06:30');
    expect(await app.store.subscribers.findById(id)).toMatchObject({ frequency: 'weekly', weekday: 'friday', sendTime: '06:30' });
    expect(await axeViolations()).toEqual([]);

    // 2. The digest footer's "Switch to daily": the GET page changes nothing until the button.
    await page.goto(`${prefsUrl}/switch?to=daily`);
    expect((await app.store.subscribers.findById(id))!.frequency).toBe('weekly');
    expect(await axeViolations()).toEqual([]);
    await page.getByRole('button', { name: 'Switch to the daily digest' }).click();
    await page.getByText('Saved: you now get your digest daily at 06:30.').waitFor();
    expect((await app.store.subscribers.findById(id))!.frequency).toBe('daily');

    // 3. Download my data.
    await page.goto(prefsUrl);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download my data' }).click()]);
    const data = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(data.profile).toMatchObject({ email: EMAIL, name: 'Pat' });
    expect(data.choices).toEqual({ frequency: 'daily', weekday: null, sendTime: '06:30' });
    expect(data.consent.map((c: { source: string }) => c.source)).toEqual(['web:preferences', 'web:switch-link']);
    expect(data.consent[0]).toMatchObject({ ip: '127.0.0.0/24', userAgent: expect.stringContaining('Chrome') });

    // 4. Delete me, with a confirmation step.
    await page.getByRole('button', { name: 'Delete me' }).click();
    await page.getByRole('button', { name: 'Yes, delete me' }).waitFor();
    expect(await app.store.subscribers.findByEmail(EMAIL)).toBeDefined();
    expect(await axeViolations()).toEqual([]);
    await page.getByRole('button', { name: 'Yes, delete me' }).click();
    await page.getByText('Your data is deleted.').waitFor();
    expect(await app.store.subscribers.findByEmail(EMAIL)).toBeUndefined();
    expect(findInSqliteFile(dbFile, EMAIL)).toEqual([]);

    // The old link is dead.
    const dead = await page.goto(prefsUrl);
    expect(dead?.status()).toBe(400);
  }, 60_000);

  it('offers the choices on the signup page, folded under Options', async () => {
    await page.goto(`${base}/`);
    const details = page.locator('details', { has: page.locator('summary', { hasText: 'Options' }) });
    expect(await details.getAttribute('open')).toBeNull();
    await page.locator('summary', { hasText: 'Options' }).click();
    await page.getByLabel('Email address').fill('opt.reader@example.com');
    await page.getByLabel('World').check();
    await page.getByLabel('Monday to Friday').check();
    await page.getByLabel('Time of day').selectOption('05:30');
    expect(await axeViolations()).toEqual([]);
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
    expect(await app.store.subscribers.findByEmail('opt.reader@example.com')).toMatchObject({ status: 'pending', frequency: 'weekdays', sendTime: '05:30' });
  }, 60_000);
});
