import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from '../helpers/axe-browser.js';
import { openConsoleInBrowser, type ConsoleInBrowser } from '../helpers/console-browser.js';
import { seedWorld } from '../helpers/digest-world.js';

/**
 * The topic and article pages in Debian's Chromium at phone width: sign in through
 * `topic-digest admin link`, edit a topic's keywords and read the preview diff, save and apply,
 * fix an article's topics by hand, and read an edition's headers; every page axe-clean, nothing
 * wider than the screen, and script in a title or topic name shown as text.
 */

const ADMIN = 'editor@example.com';
const HOSTILE_TITLE = '<script>alert("title")</script> chips ahead';
const HOSTILE_TOPIC = '<script>alert("topic")</script>';

let c: ConsoleInBrowser;
let page: Page;
let ids: number[];

beforeAll(async () => {
  c = await openConsoleInBrowser(ADMIN, async (app) => {
    const now = new Date();
    ({ articleIds: ids } = await seedWorld(app, now, {
      articles: [
        { title: 'Quantum computer passes a milestone', topics: [], minutesAgo: 10 },
        { title: 'Chip exports slow', topics: ['tech'], minutesAgo: 20 },
        { title: HOSTILE_TITLE, topics: ['tech'], minutesAgo: 30 },
      ],
      readers: [{ email: 'reader@example.com', topics: ['tech', 'opinion'] }],
    }));
    await app.store.topics.upsert([{ slug: 'opinion', name: HOSTILE_TOPIC, keywords: ['column'] }], now.toISOString());
    await app.runDigest({ now, force: true });
  });
  page = c.page;
}, 120_000);

afterAll(async () => {
  await c?.close();
});

/** Axe finds nothing serious, no script ran, and the page fits a phone's width. */
async function expectCleanPage(): Promise<void> {
  const serious = (await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious, JSON.stringify(serious, null, 2)).toEqual([]);
  expect(c.dialogs).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
}

describe('topics and articles in a browser', () => {
  it('signs in through `admin link`', async () => {
    await c.signIn();
    expect(new URL(page.url()).pathname).toBe('/admin');
  });

  it('lists topics with followers, the hostile name as text', async () => {
    await page.getByRole('link', { name: 'Topics', exact: true }).click();
    expect(await page.locator('[data-followers="tech"]').textContent()).toBe('1');
    expect(await page.getByRole('link', { name: HOSTILE_TOPIC, exact: true }).count()).toBe(1);
    expect(await page.locator('main script').count()).toBe(0);
    await expectCleanPage();
  });

  it('previews new keywords, then saves and applies them', async () => {
    await page.getByRole('link', { name: 'Tech', exact: true }).click();
    await expectCleanPage();
    await page.getByLabel(/^Keywords/).fill('quantum\nsemiconductor');
    await page.getByRole('button', { name: 'Preview' }).click();
    expect(await page.locator('#check-added').textContent()).toContain('Quantum computer passes a milestone');
    const removed = await page.locator('#check-removed a').allTextContents();
    expect(removed.sort()).toEqual([HOSTILE_TITLE, 'Chip exports slow'].sort());
    expect((await c.app.store.topics.list()).find((t) => t.slug === 'tech')!.keywords).not.toContain('quantum');
    await expectCleanPage();

    await page.getByRole('button', { name: 'Save' }).click();
    expect(await page.locator('[role=status]').textContent()).toContain('Saved');
    expect((await c.app.store.topics.list()).find((t) => t.slug === 'tech')!.keywords).toEqual(['quantum', 'semiconductor']);
    expect((await c.app.store.articles.byId(ids[0]!))!.topics).toEqual([]);
    await expectCleanPage();
    await page.getByRole('button', { name: 'Apply to these 3 articles' }).click();
    expect(await page.locator('[role=status]').textContent()).toContain('added to 1 article(s) and taken off 2');
    expect((await c.app.store.articles.byId(ids[0]!))!.topics).toEqual(['tech']);
  });

  it('fixes an article\'s topics by hand', async () => {
    await page.getByRole('link', { name: 'Articles', exact: true }).click();
    await expectCleanPage();
    expect(await page.getByRole('link', { name: HOSTILE_TITLE }).count()).toBe(1);
    await page.getByRole('link', { name: 'Chip exports slow' }).click();
    await expectCleanPage();
    await page.getByLabel('Business').check();
    await page.getByLabel('Climate').check();
    await page.getByRole('button', { name: 'Save topics' }).click();
    expect(await page.locator('[role=status]').textContent()).toContain('stay when the source is polled');
    const fixed = (await c.app.store.articles.byId(ids[1]!))!;
    expect(fixed.topics).toEqual(['business', 'climate']);
    expect(fixed.topicsFixedBy).toBe(ADMIN);
    await expectCleanPage();
  });

  it('shows an edition\'s headers with placeholders', async () => {
    await page.getByRole('link', { name: 'Editions' }).click();
    await page.locator('tbody a').first().click();
    const headers = await page.locator('#edition-headers').textContent();
    expect(headers).toContain('List-Unsubscribe: <%%td:unsubscribe_url%%>');
    expect(headers).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(headers).not.toContain('reader@example.com');
    await expectCleanPage();
  });
});
