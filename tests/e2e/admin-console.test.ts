import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { createApp, type App } from '../../src/main.js';
import { localMoment } from '../../src/plan/local-time.js';
import { buildServer } from '../../src/web/server.js';
import { expectAxeClean as expectAxeCleanIn, launchChromium, phonePage } from '../helpers/axe-browser.js';
import { createCaptureMailer } from '../helpers/capture-mailer.js';
import { seedWorld } from '../helpers/digest-world.js';
import { tempDir } from '../helpers/env.js';
import { testConfig } from '../helpers/env.js';
import { freePort } from '../helpers/free-port.js';
import { runCliCaptured } from '../helpers/run-cli.js';

/**
 * The console in Debian's Chromium: sign in with a link from `topic-digest admin link`, see the
 * overview's numbers equal the ledger, resolve an uncertain delivery, pause sending; every page
 * axe-clean and a reader's hostile name shown as text.
 */

const ADMIN = 'editor@example.com';
const HOSTILE = '<script>alert(1)</script>';

let app: App;
let server: FastifyInstance;
let browser: Browser;
let page: Page;
let env: Record<string, string>;
let cleanup: () => void;
const dialogs: string[] = [];

beforeAll(async () => {
  const port = await freePort();
  const tmp = tempDir('topic-digest-e2e-admin-');
  cleanup = tmp.cleanup;
  env = {
    DATABASE_URL: `sqlite:${tmp.dir}/admin.db`,
    OUTBOX_DIR: `${tmp.dir}/outbox`,
    SECRET_KEY: 'test-secret-key-that-is-long-enough-0123456789',
    LOG_LEVEL: 'silent',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    ADMIN_EMAILS: ADMIN,
  };
  app = await createApp(testConfig(tmp.dir, env), { logger: silentLogger, mailer: createCaptureMailer() });
  const now = new Date();
  await seedWorld(app, now, {
    articles: [{ title: 'Harbour reopens', topics: ['world'], minutesAgo: 30 }],
    readers: [
      { email: 'xss@example.com', name: HOSTILE, topics: ['world'] },
      ...Array.from({ length: 5 }, (_, i) => ({ email: `reader${i}@example.com`, topics: ['world'] })),
      { email: 'empty@example.com', topics: ['climate'] },
    ],
  });
  await app.runDigest({ now, force: true });
  // One delivery left as a crashed sender leaves it: handed to SMTP, no answer recorded.
  const victim = await app.store.db.selectFrom('deliveries').select('id').where('status', '=', 'sent').orderBy('id').executeTakeFirstOrThrow();
  await app.store.db.updateTable('deliveries').set({ status: 'sending', lease_owner: 'gone', lease_until: null, finished_at: null }).where('id', '=', victim.id).execute();
  server = await buildServer(app);
  await server.listen({ port, host: '127.0.0.1' });
  browser = await launchChromium();
  page = await phonePage(browser, dialogs);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await app?.close();
  cleanup?.();
});

const expectAxeClean = () => expectAxeCleanIn(page);

/** The ledger counted straight from the table, independently of the console's queries. */
async function ledger(): Promise<Record<string, number>> {
  const today = localMoment(new Date(), 'UTC').date;
  const rows = await app.store.db.selectFrom('deliveries').select(['status', 'reason', 'lease_until']).where('local_date', '=', today).execute();
  const out: Record<string, number> = { total: 0, planned: 0, sending: 0, sent: 0, failed: 0, uncertain: 0 };
  for (const r of rows) {
    if (r.status === 'skipped') {
      out[`skipped-${r.reason}`] = (out[`skipped-${r.reason}`] ?? 0) + 1;
      continue;
    }
    out.total!++;
    const key = r.status === 'sending' && r.lease_until === null ? 'uncertain' : r.status;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

async function shownCounts(): Promise<Record<string, number>> {
  const cells = await page.locator('[data-count]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-count')!, Number(e.textContent!.trim())] as const));
  return Object.fromEntries(cells);
}

describe('the console in a browser', () => {
  it('refuses a stranger, then signs in through `admin link`', async () => {
    await page.goto(`${env.PUBLIC_URL}/admin`);
    expect(new URL(page.url()).pathname).toBe('/admin/login');
    expect(await page.locator('body').textContent()).not.toContain('reader0@example.com');
    await expectAxeClean();

    const run = await runCliCaptured(['admin', 'link'], env);
    expect(run.code, run.err).toBe(0);
    const link = run.out.at(-1)!;
    expect(link).toMatch(new RegExp(`^${env.PUBLIC_URL}/admin/login/[A-Za-z0-9_-]{43}$`));
    await page.goto(link);
    await expectAxeClean();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${env.PUBLIC_URL}/admin`);
  });

  it('shows today\'s numbers exactly as the ledger has them, with the chart', async () => {
    const expected = await ledger();
    expect(expected.uncertain).toBe(1);
    expect(expected.sent).toBeGreaterThan(0);
    expect(expected['skipped-empty'] ?? 0).toBeGreaterThan(0);
    expect(await shownCounts()).toEqual(expected);
    // Sends, bounces, complaints and unsubscribes: one 30-day chart each.
    expect(await page.locator('svg.chart').count()).toBe(4);
    expect(await page.locator('svg.chart').first().locator('rect').count()).toBe(30);
    await expectAxeClean();
  });

  it('resolves the uncertain delivery', async () => {
    await page.getByRole('link', { name: 'Deliveries' }).click();
    const row = page.locator('tbody tr');
    expect(await row.count()).toBe(1);
    await expectAxeClean();
    await page.getByRole('button', { name: /was delivered$/ }).click();
    expect(await page.locator('[role=status]').textContent()).toContain('Settled');
    expect(await page.locator('tbody tr').count()).toBe(0);
    expect((await ledger()).uncertain).toBe(0);
    expect((await ledger()).sent).toBe((await app.store.db.selectFrom('deliveries').select('id').where('status', '=', 'sent').execute()).length);
    expect(dialogs).toEqual([]);
  });

  it('finds a reader by name, shows the hostile name as inert text, and pauses them', async () => {
    await page.getByRole('link', { name: 'Subscribers' }).click();
    await page.getByLabel('Address or name').fill('<script>');
    await page.getByRole('button', { name: 'Search' }).click();
    expect(await page.locator('tbody td').nth(1).textContent()).toBe(HOSTILE);
    await expectAxeClean();
    await page.getByRole('link', { name: 'xss@example.com' }).click();
    expect(await page.locator('h1').textContent()).toBe(`${HOSTILE} (xss@example.com)`);
    expect(await page.locator('main script').count()).toBe(0);
    await expectAxeClean();
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    expect(await page.locator('[role=status]').textContent()).toContain('pause');
    expect((await app.store.subscribers.findByEmail('xss@example.com'))!.paused).toBe(true);
    // The change is kept as consent evidence, naming the console.
    expect(await page.locator('table').nth(1).textContent()).toContain('console');
    expect(dialogs).toEqual([]);
  });

  it('pauses and resumes all sending from the overview', async () => {
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('button', { name: 'Pause all sending' }).click();
    expect(await page.getByRole('heading', { name: 'All sending is paused' }).count()).toBe(1);
    expect((await app.store.admin.pauseState()).paused).toBe(true);
    await expectAxeClean();
    await page.getByRole('button', { name: 'Resume sending' }).click();
    expect((await app.store.admin.pauseState()).paused).toBe(false);
  });

  it('editions and sources pages are axe-clean too', async () => {
    await page.getByRole('link', { name: 'Editions' }).click();
    await expectAxeClean();
    await page.locator('tbody a').first().click();
    expect(await page.locator('pre.email-text').textContent()).toContain('Harbour reopens');
    await expectAxeClean();
    await page.getByRole('link', { name: 'Sources' }).click();
    await expectAxeClean();
  });

  it('signs out, and the console is closed again', async () => {
    await page.getByRole('button', { name: /Sign out/ }).click();
    await page.goto(`${env.PUBLIC_URL}/admin/deliveries`);
    expect(new URL(page.url()).pathname).toBe('/admin/login');
  });
});
