import type { App } from '../../src/main.js';
import type { SubscriberStatus } from '../../src/model/subscriber.js';

/** An article to store, seen `minutesAgo` before the test's clock. */
export interface WorldArticle {
  title: string;
  topics: string[];
  minutesAgo?: number;
  summary?: string;
  url?: string;
  image?: { url: string; caption: string | null; credit: string | null } | null;
}

/** A reader to store. */
export interface WorldReader {
  email: string;
  topics: string[];
  name?: string | null;
  timezone?: string | null;
  status?: SubscriberStatus;
}

let n = 0;

/** Stores articles (first seen relative to `now`) and readers through the real repositories. */
export async function seedWorld(app: App, now: Date, world: { articles?: WorldArticle[]; readers?: WorldReader[] }): Promise<{ articleIds: number[]; readerIds: number[] }> {
  const articleIds: number[] = [];
  const readerIds: number[] = [];
  for (const a of world.articles ?? []) {
    const seen = new Date(now.getTime() - (a.minutesAgo ?? 60) * 60_000).toISOString();
    const slug = `${++n}-${a.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 40)}`;
    const { id } = await app.store.articles.upsert(
      {
        key: a.url ?? `https://news.example/${slug}`,
        url: a.url ?? `https://news.example/${slug}`,
        title: a.title,
        summary: a.summary ?? `What happened: ${a.title}.`,
        body: 'Body text.',
        image: a.image ?? null,
        source: 'Test Wire',
        publishedAt: seen,
        topics: a.topics,
      },
      seen,
    );
    articleIds.push(id);
  }
  for (const r of world.readers ?? []) {
    const { id } = await app.store.subscribers.upsert(
      { email: r.email, name: r.name ?? null, timezone: r.timezone ?? null, topics: r.topics, status: r.status ?? 'active' },
      now.toISOString(),
    );
    readerIds.push(id);
  }
  return { articleIds, readerIds };
}
