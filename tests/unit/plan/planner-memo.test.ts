import { describe, expect, it } from 'vitest';
import type { EditionContent } from '../../../src/model/edition.js';
import type { Subscriber } from '../../../src/model/subscriber.js';
import { planDigests, type PlanStore } from '../../../src/plan/planner.js';
import { makeArticle } from '../../helpers/edition-fixtures.js';

// Readers with the same topics share one edition object, but the planner keeps only a bounded
// number of them for the run (a million readers make 30,000 editions); one it dropped and needs
// again is rebuilt with the same key, so it is still rendered and stored once.

const NOW = new Date('2026-11-27T09:00:00Z');
const TOPICS = ['world', 'tech', 'sport'].map((slug) => ({ slug, name: slug }));
const articles = TOPICS.flatMap((t, i) => [1, 2].map((n) => makeArticle({ id: i * 10 + n, topics: [t.slug], firstSeenAt: '2026-11-27T06:00:00Z' })));

function reader(id: number, topics: string[]): Subscriber {
  return { id, publicId: `p${id}`, email: `r${id}@example.com`, name: null, status: 'active', timezone: 'UTC', topics, signingKey: 'k', hardBounces: 0, paused: false, createdAt: '2026-01-01T00:00:00Z', confirmedAt: null, unsubscribedAt: null, frequency: 'daily', weekday: null, sendTime: null };
}

// world, tech, sport, then the same three again: one reader per page.
const readers = [['world'], ['tech'], ['sport'], ['world'], ['tech'], ['sport']].map((t, i) => reader(i + 1, t));

const store: PlanStore = {
  topics: { list: async () => TOPICS as never },
  articles: { list: async () => articles },
  subscribers: { pageActive: async (after: number, size: number) => readers.filter((r) => r.id > after).slice(0, size), findByEmail: async () => undefined },
  plans: {
    existingFor: async () => new Set<string>(),
    lastSentWindowEnd: async () => new Map(),
    oldestPlannedWindowStart: async () => new Map(),
    carriedOverWindowStart: async () => new Map(),
    sentArticles: async () => new Map(),
  },
} as unknown as PlanStore;

const settings = { sendTime: '07:00', defaultTimezone: 'UTC', lookbackHours: 24, maxPerTopic: 5, catchupHours: 6, maxPerTopicWeekly: 10, minStories: 1 };

async function editions(memoLimit?: number): Promise<EditionContent[]> {
  const out: EditionContent[] = [];
  for await (const page of planDigests(store, settings, { now: NOW, force: true, pageSize: 1, ...(memoLimit ? { memoLimit } : {}) })) for (const item of page) out.push(item.edition!);
  return out;
}

describe('planDigests edition memo', () => {
  it('shares one edition object per topic set across pages', async () => {
    const e = await editions();
    expect(e[3]).toBe(e[0]);
    expect(e[5]).toBe(e[2]);
  });

  it('keeps at most memoLimit editions, and rebuilds a dropped one with the same key and content', async () => {
    const e = await editions(2);
    // world was dropped when sport came in: rebuilt, not shared, but the same edition.
    expect(e[3]).not.toBe(e[0]);
    expect(e[3]).toEqual(e[0]);
    expect(e.map((x) => x.key)).toEqual([...e.slice(0, 3).map((x) => x.key), ...e.slice(0, 3).map((x) => x.key)]);
    expect(new Set(e.map((x) => x.key)).size).toBe(3);
  });
});
