import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleArticles } from '../../../emails/_components/sample-edition.js';
import { createLogger } from '../../../src/logger.js';
import type { App } from '../../../src/main.js';
import { SAMPLE_ARTICLES_FILE, seedSampleData } from '../../../src/seed/seed-sample-data.js';
import { DEFAULT_TOPICS } from '../../../src/topics/default-catalogue.js';
import { digestApp } from '../../helpers/digest-app.js';
import { tempDir } from '../../helpers/env.js';

const NOW = new Date('2026-11-27T06:00:00Z');
const shipped = JSON.parse(readFileSync(SAMPLE_ARTICLES_FILE, 'utf8')) as { articles: Array<{ title: string; topics: string[]; image?: { url: string } }> };

let app: App & { dir: string };
let cleanup: () => void;

beforeEach(async () => {
  const tmp = tempDir('td-seed-');
  cleanup = tmp.cleanup;
  app = await digestApp({}, tmp.dir);
});
afterEach(async () => {
  await app.close();
  cleanup();
});

describe('the shipped sample articles', () => {
  it('are about twenty, cover every default topic, and some carry a local image', () => {
    expect(shipped.articles.length).toBeGreaterThanOrEqual(18);
    expect(shipped.articles.length).toBeLessThanOrEqual(25);
    const covered = new Set(shipped.articles.flatMap((a) => a.topics));
    for (const t of DEFAULT_TOPICS) expect(covered, t.slug).toContain(t.slug);
    const images = shipped.articles.flatMap((a) => (a.image ? [a.image.url] : []));
    expect(images.length).toBeGreaterThanOrEqual(3);
    for (const url of images) expect(url).toMatch(/^\/static\/[a-z-]+\.png$/);
  });

  it('include every story the email preview shows, so `npm run dev` and a first run tell the same news', () => {
    const titles = new Set(shipped.articles.map((a) => a.title));
    for (const a of sampleArticles) expect(titles, a.title).toContain(a.title);
  });
});

describe('seedSampleData', () => {
  it('fills a fresh store with the sample articles and the example subscribers, and says so', async () => {
    const lines: string[] = [];
    const result = await seedSampleData({ ...app, logger: createLogger('info', (l) => lines.push(l)) }, { now: NOW });

    expect(result).toEqual({ seeded: true, articles: shipped.articles.length, subscribers: 6 });
    expect(await app.store.articles.count()).toBe(shipped.articles.length);
    const readers = await app.store.subscribers.list();
    expect(readers).toHaveLength(6);
    expect(readers.every((s) => s.status === 'active')).toBe(true);
    const said = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => /fresh database: loaded the sample articles and example subscribers/.test(String(l.msg)));
    expect(said).toMatchObject({ articles: shipped.articles.length, subscribers: 6 });
  });

  it('stamps the articles as first seen now, newest published minutes ago, images absolute under PUBLIC_URL', async () => {
    await seedSampleData(app, { now: NOW });
    const articles = await app.store.articles.list();
    expect(articles.every((a) => a.firstSeenAt === NOW.toISOString())).toBe(true);
    const published = articles.map((a) => Date.parse(a.publishedAt));
    const newest = Math.max(...published);
    expect(NOW.getTime() - newest).toBe(10 * 60_000);
    // The file spans about half a day, and the shift keeps that spread.
    expect(NOW.getTime() - Math.min(...published)).toBeLessThanOrEqual(13 * 3_600_000);
    const images = articles.flatMap((a) => (a.image?.url ? [a.image.url] : []));
    expect(images.length).toBeGreaterThanOrEqual(3);
    for (const url of images) expect(url).toMatch(/^https:\/\/digest\.example\.com\/static\/[a-z-]+\.png$/);
  });

  it('does nothing the second time', async () => {
    await seedSampleData(app, { now: NOW });
    expect(await seedSampleData(app, { now: NOW })).toEqual({ seeded: false, articles: 0, subscribers: 0 });
    expect(await app.store.articles.count()).toBe(shipped.articles.length);
  });

  it('does nothing when the store already has a subscriber, even with no articles', async () => {
    await app.store.subscribers.upsert({ email: 'real@reader.example', name: null, timezone: null, topics: ['world'], status: 'active' }, NOW.toISOString());
    expect((await seedSampleData(app, { now: NOW })).seeded).toBe(false);
    expect(await app.store.articles.count()).toBe(0);
    expect(await app.store.subscribers.count()).toBe(1);
  });

  it('does nothing when the store already has an article, even with no subscribers', async () => {
    await app.store.articles.upsert(
      { key: 'real:1', url: null, title: 'A real story', summary: null, body: '', image: null, source: null, publishedAt: null, topics: ['world'] },
      NOW.toISOString(),
    );
    expect((await seedSampleData(app, { now: NOW })).seeded).toBe(false);
    expect(await app.store.subscribers.count()).toBe(0);
    expect(await app.store.articles.count()).toBe(1);
  });

  it('writes nothing at all when part of the sample data does not fit the store', async () => {
    // The articles import fine; the subscriber file then fails, and the one transaction undoes both.
    const bad = join(app.dir, 'bad-subscribers.json');
    writeFileSync(bad, JSON.stringify([{ email: 'not-an-address', topics: ['world'] }]));
    await expect(seedSampleData(app, { now: NOW, subscribersFile: bad })).rejects.toMatchObject({
      code: 'SUBSCRIBER_INVALID',
      hint: expect.stringMatching(/SEED_SAMPLE_DATA=false/),
    });
    expect(await app.store.articles.count()).toBe(0);
    expect(await app.store.subscribers.count()).toBe(0);
  });
});
