import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newWebhookSecret } from '../../src/deliver/webhook-events.js';
import type { App } from '../../src/main.js';
import { seriousAxeViolations } from '../helpers/axe-browser.js';
import { startConsoleInChromium, type ConsoleInChromium } from '../helpers/console-chromium.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';

/**
 * The webhooks page in Chromium, axe-checked on a phone-sized screen: add an endpoint (the secret
 * is shown once), see a failed attempt in its delivery log, resend it, and remove the endpoint.
 */

const ADMIN = 'editor@example.com';

let c: ConsoleInChromium;
let app: App;
let page: Page;
let base: string;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

beforeAll(async () => {
  receiver = await startWebhookReceiver(newWebhookSecret(), (n) => (n === 1 ? 503 : 200));
  c = await startConsoleInChromium(ADMIN);
  ({ app, page, base } = c);
}, 120_000);

afterAll(async () => {
  await c?.close();
  await receiver?.close();
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
