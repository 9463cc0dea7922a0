import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newWebhookSecret } from '../../src/deliver/webhook-events.js';
import { silentLogger } from '../../src/logger.js';
import { createApp, type App } from '../../src/main.js';
import { buildServer } from '../../src/web/server.js';
import { launchChromium, seriousAxeViolations } from '../helpers/axe-browser.js';
import { signInPage } from '../helpers/admin-browser.js';
import { createCaptureMailer } from '../helpers/capture-mailer.js';
import { tempDir, testConfig } from '../helpers/env.js';
import { freePort } from '../helpers/free-port.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';

/**
 * The webhooks page in Chromium, axe-checked on a phone-sized screen: add an endpoint (the secret
 * is shown once), see a failed attempt in its delivery log, resend it, and remove the endpoint.
 */

const ADMIN = 'editor@example.com';

let app: App;
let server: FastifyInstance;
let browser: Browser;
let page: Page;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let base: string;
let cleanup: () => void;

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const tmp = tempDir('topic-digest-e2e-hooks-');
  cleanup = tmp.cleanup;
  receiver = await startWebhookReceiver(newWebhookSecret(), (n) => (n === 1 ? 503 : 200));
  app = await createApp(testConfig(tmp.dir, { PUBLIC_URL: base, ADMIN_EMAILS: ADMIN, SEED_SAMPLE_DATA: 'false' }), { logger: silentLogger, mailer: createCaptureMailer() });
  server = await buildServer(app);
  await server.listen({ port, host: '127.0.0.1' });
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await signInPage(page, app, base, ADMIN);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await app?.close();
  await receiver?.close();
  cleanup?.();
});

async function expectAxeClean(): Promise<void> {
  const serious = await seriousAxeViolations(page);
  expect(serious, JSON.stringify(serious, null, 2)).toEqual([]);
}

describe('webhooks in the console', () => {
  it('adds an endpoint from the nav, showing the secret once', async () => {
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await expectAxeClean();
    await page.getByLabel('Endpoint URL (http or https)').fill('javascript:alert(1)');
    await page.getByLabel('subscriber.created').check();
    await page.getByRole('button', { name: 'Add webhook' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('http or https');
    // What was typed and ticked is kept for the correction.
    expect(await page.getByLabel('subscriber.created').isChecked()).toBe(true);
    await expectAxeClean();

    await page.getByLabel('Endpoint URL (http or https)').fill(receiver.url);
    await page.getByRole('button', { name: 'Add webhook' }).click();
    const secret = (await page.locator('pre[data-secret]').textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);
    expect((await app.store.webhooks.list())[0]!.secret).toBe(secret);
    await expectAxeClean();
    receiver.useSecret(secret);
    await page.goto(`${base}/admin/webhooks`);
    expect(await page.locator('pre[data-secret]').count()).toBe(0);
    expect(await page.content()).not.toContain(secret);
  });

  it('shows a failed attempt in the log, and resend delivers it with the same webhook-id', async () => {
    await app.events.emit('subscriber.created', { email: 'ann@example.com' });
    await receiver.waitFor(1);
    await app.webhookSender.idle();
    await page.goto(`${base}/admin/webhooks`);
    expect(await page.locator('tbody').textContent()).toContain('failing');
    await page.getByRole('link', { name: receiver.url }).click();
    expect(await page.locator('main').textContent()).toContain('the endpoint answered 503');
    await expectAxeClean();
    await page.getByRole('button', { name: /^Resend delivery \d+ \(subscriber\.created\)$/ }).click();
    expect(await page.getByRole('status').textContent()).toContain('Queued again');
    await receiver.waitFor(2);
    await app.webhookSender.idle();
    await page.reload();
    expect(await page.locator('main').textContent()).toContain('200 OK');
    expect(receiver.received.map((r) => r.verified)).toEqual([true, true]);
    expect(receiver.received[1]!.headers['webhook-id']).toBe(receiver.received[0]!.headers['webhook-id']);
    await expectAxeClean();
  });

  it('removes the endpoint', async () => {
    await page.getByRole('link', { name: 'All webhooks' }).click();
    await page.getByRole('button', { name: /^Remove webhook/ }).click();
    expect(await page.getByRole('status').textContent()).toContain('Webhook removed');
    expect(await app.store.webhooks.list()).toEqual([]);
    await expectAxeClean();
  });
});
