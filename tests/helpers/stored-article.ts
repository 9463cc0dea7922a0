import type { Article } from '../../src/model/article.js';

let next = 1;

/** A stored-looking article for pure planning tests; override any field. */
export function storedArticle(overrides: Partial<Article> = {}): Article {
  const id = overrides.id ?? next++;
  return {
    id,
    key: `https://news.example/a/${id}`,
    url: `https://news.example/a/${id}`,
    title: `Story ${id}`,
    summary: `Standfirst of story ${id}.`,
    body: 'Body.',
    image: null,
    source: 'Wire',
    publishedAt: new Date(Date.UTC(2026, 10, 26, 12, 0, 0) + id * 60_000).toISOString(),
    firstSeenAt: '2026-11-26T12:00:00.000Z',
    topics: ['world'],
    ...overrides,
  };
}
