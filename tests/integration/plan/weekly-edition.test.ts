import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importArticleText } from '../../../src/ingest/import-articles.js';
import type { App } from '../../../src/main.js';
import { jsonArticle } from '../../helpers/article-fixture.js';
import { digestApp } from '../../helpers/digest-app.js';
import { databasePerTest, testDialects } from '../../helpers/dialects.js';
import { tempDir } from '../../helpers/env.js';

const weeklyMonday = { frequency: 'weekly' as const, weekday: 'monday' as const, sendTime: '08:00' };

describe.each(testDialects())('weekly editions, on %s', (dialect) => {
  const database = databasePerTest(dialect);
  let app: App;
  beforeEach(async () => {
    const { dir } = tempDir();
    app = await digestApp({ DIGEST_TIMEZONE: 'UTC', DIGEST_MIN_STORIES: '3', DIGEST_MAX_PER_TOPIC_WEEKLY: '3', DATABASE_URL: await database.cleanUrl(dir) }, dir);
  });
  afterEach(async () => app.close());

  const addReader = async (email: string, at: Date) =>
    app.store.subscribers.upsert({ email, name: null, timezone: 'UTC', topics: ['world'], status: 'active', choices: weeklyMonday }, at.toISOString());
  const importStories = async (at: Date, items: Record<string, unknown>[]) =>
    importArticleText(app.store, 'stories.json', JSON.stringify(items), { now: at });

  it('puts prioritised stories (from a JSON import) first, then the newest, capped per topic', async () => {
    const monday = new Date('2026-11-30T08:00:00Z');
    await addReader('w@example.com', new Date('2026-11-20T00:00:00Z'));
    await importStories(new Date('2026-11-24T10:00:00Z'), [jsonArticle({ title: 'Old but important', priority: 10, published_at: '2026-11-24T10:00:00Z' })]);
    await importStories(new Date('2026-11-25T10:00:00Z'), [jsonArticle({ title: 'Middling', priority: 2, published_at: '2026-11-25T10:00:00Z' })]);
    for (let d = 26; d <= 29; d++) await importStories(new Date(`2026-11-${d}T10:00:00Z`), [jsonArticle({ title: `Plain ${d}`, published_at: `2026-11-${d}T10:00:00Z` })]);
    expect((await app.store.articles.list()).find((a) => a.title === 'Old but important')?.priority).toBe(10);

    expect(await app.runDigest({ now: new Date('2026-11-29T09:00:00Z') })).toMatchObject({ planned: 0, skipped: 0 }); // Sunday: not their day
    expect(await app.runDigest({ now: monday })).toMatchObject({ planned: 1, sent: 1 });
    const [edition] = await app.store.db.selectFrom('editions').selectAll().execute();
    const ids = JSON.parse(edition!.article_ids) as number[];
    const titles = (await app.store.articles.byIds(ids)).sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id)).map((a) => a.title);
    expect(titles).toEqual(['Old but important', 'Middling', 'Plain 29']);
    expect(edition!.subject).toBe('Your weekly digest, 23–29 November: Old but important, + 2 more');
  });

  it('skips a week with too few stories and carries them into the next', async () => {
    await addReader('w@example.com', new Date('2026-11-20T00:00:00Z'));
    await importStories(new Date('2026-11-25T10:00:00Z'), [jsonArticle({ title: 'One' }), jsonArticle({ title: 'Two' })]);
    expect(await app.runDigest({ now: new Date('2026-11-30T08:00:00Z') })).toMatchObject({ planned: 0, skipped: 1 });
    expect((await app.store.deliveries.list())[0]).toMatchObject({ status: 'skipped', reason: 'too few stories' });

    await importStories(new Date('2026-12-03T10:00:00Z'), [jsonArticle({ title: 'Three' })]);
    expect(await app.runDigest({ now: new Date('2026-12-07T08:30:00Z') })).toMatchObject({ planned: 1, sent: 1 });
    const sent = (await app.store.deliveries.list({ status: 'sent' }))[0]!;
    const edition = await app.store.db.selectFrom('editions').select('article_ids').where('key', '=', sent.editionKey!).executeTakeFirstOrThrow();
    expect(JSON.parse(edition.article_ids)).toHaveLength(3);
    // The next week starts after that edition: nothing is sent twice.
    await importStories(new Date('2026-12-08T10:00:00Z'), [jsonArticle({ title: 'Four' })]);
    expect(await app.runDigest({ now: new Date('2026-12-14T08:00:00Z') })).toMatchObject({ planned: 0, skipped: 1 });
  });
});
