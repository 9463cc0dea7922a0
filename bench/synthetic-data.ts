import { newPublicId } from '../src/store/subscriber-repository.js';
import type { Store } from '../src/store/store.js';

/**
 * Synthetic newsroom data for the benchmark: 30 topics with Zipf popularity, articles from the
 * last day and readers who follow 1 to 6 topics. Rows go in through the store's bulk-seed
 * repository inside transactions; everything measured afterwards uses the production
 * repositories. A fixed seed makes every run see the same data. It runs on SQLite and PostgreSQL
 * alike.
 */

/** How the synthetic readers choose their topics. */
export interface AudienceModel {
  /** Zipf exponent of topic popularity: topic i is chosen with weight 1 / i^s. */
  zipfExponent: number;
  /** Relative weights of following 1, 2, … 6 topics. */
  followCountWeights: readonly number[];
  /** Share of readers who keep one of the signup form's preset bundles instead of picking topics themselves. */
  presetShare: number;
}

/** The default audience: popular topics dominate, most readers follow one to three, half keep a signup preset. */
export const DEFAULT_AUDIENCE: AudienceModel = {
  zipfExponent: 1.1,
  followCountWeights: [35, 30, 18, 9, 5, 3],
  presetShare: 0.5,
};

/** Number of topics in the synthetic catalogue. */
export const TOPIC_COUNT = 30;

/** What {@link seedSyntheticData} wrote. */
export interface SeedReport {
  topics: number;
  articles: number;
  subscribers: number;
  subscriberTopicRows: number;
  /** Distinct topic sets among the readers: an upper bound on distinct editions. */
  distinctTopicSets: number;
  ms: number;
}

/** A small, fast, seedable PRNG (mulberry32). */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const topicSlug = (i: number) => `topic-${String(i + 1).padStart(2, '0')}`;

function pickWeighted(weights: readonly number[], total: number, rand: () => number, skip?: ReadonlySet<number>): number {
  let v = rand() * total;
  for (let i = 0; i < weights.length; i++) {
    if (skip?.has(i)) continue;
    v -= weights[i]!;
    if (v < 0) return i;
  }
  for (let i = weights.length - 1; i >= 0; i--) if (!skip?.has(i)) return i;
  return 0;
}

/** Returns a function that draws one reader's topic indexes (sorted) under `model`. */
export function topicChooser(model: AudienceModel, rand: () => number): () => number[] {
  const weights = Array.from({ length: TOPIC_COUNT }, (_, i) => 1 / (i + 1) ** model.zipfExponent);
  const countTotal = model.followCountWeights.reduce((a, b) => a + b, 0);
  // The signup form's presets: the front page alone, then the front page with one popular section.
  const presets = [[0], [0, 1], [0, 2], [0, 1, 2], [0, 3], [1]];
  const presetWeights = presets.map((_, i) => 1 / (i + 1));
  const presetTotal = presetWeights.reduce((a, b) => a + b, 0);
  return () => {
    if (rand() < model.presetShare) return presets[pickWeighted(presetWeights, presetTotal, rand)]!;
    const k = pickWeighted(model.followCountWeights, countTotal, rand) + 1;
    const chosen = new Set<number>();
    while (chosen.size < k) {
      let total = 0;
      for (let i = 0; i < TOPIC_COUNT; i++) if (!chosen.has(i)) total += weights[i]!;
      chosen.add(pickWeighted(weights, total, rand, chosen));
    }
    return [...chosen].sort((a, b) => a - b);
  };
}

const WORDS = 'minister market storm league court budget election rescue vaccine summit strike harbour rail chip drought festival council tariff'.split(' ');

function sentence(rand: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(rand() * WORDS.length)]!);
  const s = out.join(' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

async function inBatches<T>(store: Store, total: number, batch: number, make: (i: number) => T, write: (tx: Store, rows: T[]) => Promise<void>): Promise<void> {
  // One transaction per 50 batches keeps commits cheap without holding a huge journal.
  for (let start = 0; start < total; start += batch * 50) {
    const end = Math.min(total, start + batch * 50);
    await store.transaction(async (tx) => {
      for (let i = start; i < end; i += batch) {
        const rows: T[] = [];
        for (let j = i; j < Math.min(end, i + batch); j++) rows.push(make(j));
        await write(tx, rows);
      }
    });
  }
}

/**
 * Writes 30 topics, `articles` articles first seen during the 24 hours before `now`, and
 * `subscribers` active readers. Memory stays flat: readers are generated and written in batches.
 */
export async function seedSyntheticData(
  store: Store,
  options: { subscribers: number; articles: number; now: Date; seed?: number; audience?: AudienceModel },
): Promise<SeedReport> {
  const started = performance.now();
  const rand = seededRandom(options.seed ?? 20_260_101);
  const nowIso = options.now.toISOString();
  const nowMs = options.now.getTime();

  await store.transaction((tx) =>
    tx.topics.upsert(
      Array.from({ length: TOPIC_COUNT }, (_, i) => ({ slug: topicSlug(i), name: `Topic ${i + 1}`, description: null, keywords: [] })),
      nowIso,
    ),
  );

  // Articles: popular topics get more stories; every topic gets at least a handful.
  const topicWeights = Array.from({ length: TOPIC_COUNT }, (_, i) => 1 / (i + 1) ** 0.8);
  const topicTotal = topicWeights.reduce((a, b) => a + b, 0);
  const articleCount = options.articles;
  await inBatches(store, articleCount, 200, (i) => {
    const seen = new Date(nowMs - Math.floor(((i + 0.5) / articleCount) * 23.5 * 3_600_000)).toISOString();
    const first = i < TOPIC_COUNT * 5 ? i % TOPIC_COUNT : pickWeighted(topicWeights, topicTotal, rand);
    const topics = new Set([first]);
    if (rand() < 0.3) topics.add(pickWeighted(topicWeights, topicTotal, rand));
    const withImage = rand() < 0.6;
    return {
      row: {
        key: `https://news.example/bench/${i}`,
        url: `https://news.example/bench/${i}`,
        title: sentence(rand, 9),
        summary: `${sentence(rand, 30)}.`,
        body: `${sentence(rand, 120)}.`,
        image_url: withImage ? `https://news.example/images/${i}.jpg` : null,
        image_caption: withImage ? sentence(rand, 12) : null,
        image_credit: withImage ? 'Bench Wire' : null,
        source: 'Bench Wire',
        published_at: seen,
        first_seen_at: seen,
        updated_at: seen,
      },
      topics: [...topics].map(topicSlug),
    };
  }, (tx, rows) => tx.bulkSeed.insertArticles(rows));

  // Readers: ids are assigned in insertion order, so topic rows can be written with known ids.
  const choose = topicChooser(options.audience ?? DEFAULT_AUDIENCE, rand);
  const firstId = await store.bulkSeed.nextSubscriberId();
  const sets = new Set<string>();
  let topicRows = 0;
  await inBatches(store, options.subscribers, 500, (i) => {
    const topics = choose();
    sets.add(topics.join(','));
    return { i, topics };
  }, async (tx, rows) => {
    topicRows += await tx.bulkSeed.insertSubscribers(
      rows.map(({ i, topics }) => ({
        row: {
          id: firstId + i,
          email: `reader${i}@bench.example`,
          email_key: `reader${i}@bench.example`,
          public_id: newPublicId(),
          name: i % 3 === 0 ? null : `Reader ${i}`,
          status: 'active' as const,
          timezone: null,
          signing_key: (Math.floor(rand() * 2 ** 52).toString(16) + i.toString(16)).padStart(32, '0'),
          created_at: nowIso,
          updated_at: nowIso,
          confirmed_at: nowIso,
          unsubscribed_at: null,
        },
        topics: topics.map(topicSlug),
      })),
    );
  });
  await store.bulkSeed.afterExplicitSubscriberIds();

  return {
    topics: TOPIC_COUNT,
    articles: articleCount,
    subscribers: options.subscribers,
    subscriberTopicRows: topicRows,
    distinctTopicSets: sets.size,
    ms: Math.round(performance.now() - started),
  };
}
