import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importArticles } from '../../../src/ingest/import-articles.js';
import type { App } from '../../../src/main.js';
import { jsonArticle, ndjson } from '../../helpers/article-fixture.js';
import { appPerTest } from '../../helpers/app-per-test.js';
import { testDialects } from '../../helpers/dialects.js';
import { fictionalStory } from '../../helpers/scraped-page-fixture.js';

let app: App;
let dir: string;
const t0 = new Date('2025-03-01T09:00:00Z');
const t1 = new Date('2025-03-02T09:00:00Z');

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe.each(testDialects())('importArticles on %s', (dialect) => {
  appPerTest(dialect, (a, d) => {
    app = a;
    dir = d;
  });

  it('imports a JSON file, tagging articles that carry no topics', async () => {
    const path = file('a.json', JSON.stringify([jsonArticle({ topics: ['China', 'taiwan'] }), jsonArticle({ topics: undefined, title: 'Kyiv braces for winter', body: 'Ukraine expects more strikes.' })]));
    const [report] = await importArticles(app.store, [path], { now: t0 });
    expect(report).toEqual({ source: path, format: 'json', inserted: 2, updated: 0, unchanged: 0, untagged: 0, warnings: [], ids: [1, 2] });
    const stored = await app.store.articles.list();
    // Same published_at, so newest id first.
    expect(stored.map((a) => a.topics)).toEqual([['ukraine-war'], ['china', 'taiwan']]);
  });

  it('re-import updates in place: one row, first_seen_at kept, published_at kept when the source has none', async () => {
    // A page with no printed date, so its time is the first import's.
    const page = file('story.txt', fictionalStory({ photo: { caption: 'Engineers inspect panels at the floating solar farm.', credit: 'Lena Marsh/Pool via REUTERS' } }));
    const feedLike = file('b.json', JSON.stringify(jsonArticle({ url: 'https://gazette.example/x', published_at: undefined, title: 'Old title' })));
    await importArticles(app.store, [page, feedLike], { now: t0 });
    const again = await importArticles(app.store, [page, file('b2.json', JSON.stringify(jsonArticle({ url: 'https://gazette.example/x?utm_source=mail#top', published_at: undefined, title: 'New title' })))], { now: t1 });
    expect(again.map((r) => [r.inserted, r.updated])).toEqual([[0, 1], [0, 1]]);
    const stored = await app.store.articles.list();
    expect(stored).toHaveLength(2);
    for (const a of stored) {
      expect(a.firstSeenAt).toBe(t0.toISOString());
      expect(a.publishedAt).toBe(t0.toISOString());
    }
    expect(stored.find((a) => a.url === 'https://gazette.example/x')?.title).toBe('New title');
  });

  it('dedupes items sharing a key within one file: the last copy wins', async () => {
    const path = file('dup.ndjson', ndjson([jsonArticle({ url: 'https://g.example/s?utm_medium=a', title: 'First' }), jsonArticle({ url: 'https://G.example/s#x', title: 'Second' })]));
    const [r] = await importArticles(app.store, [path], { now: t0 });
    expect(r).toMatchObject({ inserted: 1, updated: 0 });
    const stored = await app.store.articles.list();
    expect(stored.map((a) => [a.url, a.title])).toEqual([['https://g.example/s', 'Second']]);
  });

  it('a bad file writes nothing and names the line', async () => {
    const path = file('bad.ndjson', ndjson([jsonArticle(), jsonArticle(), jsonArticle({ title: '' })]));
    const [r] = await importArticles(app.store, [path], { now: t0 });
    expect(r!.error?.code).toBe('INPUT_INVALID');
    expect(r!.error?.message).toContain('bad.ndjson');
    expect(r!.error?.details).toEqual([expect.stringMatching(/^line 3: title: /)]);
    expect(await app.store.articles.count()).toBe(0);
  });

  it('an unknown topic fails the file, naming the item, and writes nothing', async () => {
    const path = file('t.json', JSON.stringify([jsonArticle(), jsonArticle({ topics: ['world', 'gardening'] })]));
    const [r] = await importArticles(app.store, [path], { now: t0 });
    expect(r!.error?.code).toBe('INPUT_INVALID');
    expect(r!.error?.details).toEqual([expect.stringMatching(/^item index 1: topics: unknown topic\(s\) "gardening" \(".*"\)$/)]);
    expect(await app.store.articles.count()).toBe(0);
  });

  it('rolls the whole file back when the store fails midway', async () => {
    // Two articles; the second is made to violate a NOT NULL constraint inside the transaction.
    const path = file('ok.json', JSON.stringify([jsonArticle(), jsonArticle()]));
    let calls = 0;
    const failing = {
      ...app.store,
      transaction: <T>(fn: (tx: typeof app.store) => Promise<T>) =>
        app.store.transaction((tx) => {
          const realUpsert = tx.articles.upsert.bind(tx.articles);
          tx.articles.upsert = async (a, now) => {
            if (++calls === 2) throw new Error('disk full');
            return realUpsert(a, now);
          };
          return fn(tx);
        }),
    };
    const [r] = await importArticles(failing, [path], { now: t0 });
    expect(r!.error?.code).toBe('INTERNAL');
    expect(r!.error?.message).toContain('disk full');
    expect(await app.store.articles.count()).toBe(0);
  });

  it('a mixed run: the bad and unreadable files fail, the others land', async () => {
    const good = file('good.json', JSON.stringify([jsonArticle(), jsonArticle()]));
    const bad = file('bad.json', '[\n  {"title": "x"},\n  {"title": }\n]');
    const page = file('page.txt', fictionalStory());
    const reports = await importArticles(app.store, [good, bad, join(dir, 'missing.json'), page], { now: t0 });
    expect(reports.map((r) => r.error?.code ?? 'ok')).toEqual(['ok', 'INPUT_INVALID', 'INPUT_UNREADABLE', 'ok']);
    expect(reports[1]!.error!.message).toMatch(/bad\.json:3:13: invalid JSON/);
    expect(reports[2]!.error!.message).toContain('missing.json');
    expect(await app.store.articles.count()).toBe(3);
  });

  it('stores a scraped page with caption and credit but no image URL, tagged by keywords', async () => {
    await importArticles(app.store, [file('page.txt', fictionalStory())], { now: t0 });
    const [a] = await app.store.articles.list();
    expect(a).toMatchObject({
      title: 'Harbour city opens floating solar farm as heatwave grips region',
      source: 'REUTERS',
      image: { url: null, caption: expect.stringContaining('Engineers inspect panels'), credit: 'Lena Marsh/Pool via REUTERS' },
      topics: ['climate'],
    });
    expect(a!.key).toMatch(/^hash:/);
  });
});
