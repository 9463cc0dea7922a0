import { describe, expect, it } from 'vitest';
import type { NewArticle } from '../../../src/model/article.js';
import { testDialects } from '../../helpers/dialects.js';
import { storePerTest } from '../../helpers/store-per-test.js';

/**
 * Hand-fixed topics (migration 015) on SQLite and PostgreSQL: a re-import updates the story but
 * not its topics; retagging by rules skips it; `recent` pages with withdrawn stories on request.
 */

const T0 = '2026-11-20T08:00:00.000Z';
const T1 = '2026-11-20T09:00:00.000Z';

const story = (n: number, topics: string[], title = `Story ${n}`): NewArticle => ({
  key: `https://news.example/${n}`,
  url: `https://news.example/${n}`,
  title,
  summary: null,
  body: 'Body.',
  image: null,
  source: 'Wire',
  publishedAt: new Date(Date.parse(T0) - n * 60_000).toISOString(),
  topics,
});

describe.each(testDialects())('hand-fixed article topics on %s', (dialect) => {
  const s = storePerTest(dialect);
  const seed = async () => {
    const store = s.store();
    await store.topics.upsert(['world', 'tech', 'sport'].map((slug) => ({ slug, name: slug })), T0);
    const ids: number[] = [];
    for (let n = 0; n < 3; n++) ids.push((await store.articles.upsert(story(n, ['world']), T0)).id);
    return ids;
  };

  it('keeps hand-set topics through re-imports, changed or not, while the text updates', async () => {
    const store = s.store();
    const [a, b] = await seed();
    expect(await store.transaction((tx) => tx.articles.setTopicsByHand(a!, ['sport', 'tech', 'sport'], 'ed@example.com', T1))).toBe(true);
    expect(await store.articles.setTopicsByHand(999, ['sport'], 'ed@example.com', T1)).toBe(false);
    expect(await store.articles.upsert(story(0, ['world']), T1)).toEqual({ id: a, inserted: false, changed: false });
    expect(await store.articles.upsert(story(0, ['world'], 'Story 0, updated'), T1)).toMatchObject({ id: a, changed: true });
    const fixed = (await store.articles.byId(a!))!;
    expect(fixed).toMatchObject({ title: 'Story 0, updated', topics: ['tech', 'sport'], topicsFixedAt: T1, topicsFixedBy: 'ed@example.com' });
    await store.articles.upsert(story(1, ['tech']), T1);
    expect((await store.articles.byId(b!))!.topics).toEqual(['tech']);
  });

  it('retags by rules only articles nobody fixed, and only links that change', async () => {
    const store = s.store();
    const [a, b, c] = await seed();
    await store.articles.setTopicsByHand(a!, ['world'], 'ed@example.com', T1);
    expect(await store.articles.retagTopic('tech', [a!, b!], [])).toEqual({ added: 1, removed: 0 });
    expect(await store.articles.retagTopic('tech', [b!], [])).toEqual({ added: 0, removed: 0 });
    expect(await store.articles.retagTopic('world', [], [a!, c!])).toEqual({ added: 0, removed: 1 });
    expect((await store.articles.byIds([a!, b!, c!])).sort((x, y) => x.id - y.id).map((x) => [x.id, x.topics])).toEqual([
      [a, ['world']],
      [b, ['world', 'tech']],
      [c, []],
    ]);
  });

  it('counts each topic\'s active followers (the topics page)', async () => {
    const store = s.store();
    await seed();
    const reader = (email: string, topics: string[], status: 'active' | 'unsubscribed' = 'active') => store.subscribers.upsert({ email, name: null, timezone: 'UTC', topics, status }, T0);
    await reader('a@example.com', ['world', 'tech']);
    await reader('b@example.com', ['tech']);
    await reader('c@example.com', ['tech', 'sport'], 'unsubscribed');
    expect(Object.fromEntries(await store.topics.followerCounts())).toEqual({ world: 1, tech: 2 });
  });

  it('lists recent articles in pages, withdrawn ones only when asked', async () => {
    const store = s.store();
    const [a] = await seed();
    await store.articles.withdraw(a!, T1);
    expect((await store.articles.recent({ limit: 2 })).map((x) => x.title)).toEqual(['Story 1', 'Story 2']);
    expect((await store.articles.recent({ limit: 2, includeWithdrawn: true })).map((x) => x.title)).toEqual(['Story 0', 'Story 1']);
    expect((await store.articles.recent({ limit: 2, offset: 2, includeWithdrawn: true })).map((x) => x.title)).toEqual(['Story 2']);
  });
});
