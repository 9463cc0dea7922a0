import { beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.js';
import { newPublicId } from '../../../src/store/subscriber-repository.js';
import { testDialects } from '../../helpers/dialects.js';
import { storePerTest } from '../../helpers/store-per-test.js';

const T0 = '2026-11-27T08:00:00.000Z';

describe.each(testDialects())('bulk seeding on %s', (dialect) => {
  const fresh = storePerTest(dialect);
  let store: Store;
  beforeEach(async () => {
    store = fresh.store();
    await store.topics.upsert(['a', 'b'].map((slug) => ({ slug, name: slug, description: null, keywords: [] })), T0);
  });

  it('writes articles and readers with their topics in batches, and the normal repositories read them back', async () => {
    const articles = Array.from({ length: 1200 }, (_, i) => ({
      row: { key: `k${i}`, url: `https://news.example/${i}`, title: `T${i}`, summary: null, body: 'b', image_url: null, image_caption: null, image_credit: null, source: null, published_at: T0, first_seen_at: T0, updated_at: T0 },
      topics: i % 2 === 0 ? ['a'] : ['a', 'b'],
    }));
    await store.transaction((tx) => tx.bulkSeed.insertArticles(articles));
    expect(await store.articles.list({ topic: 'b' })).toHaveLength(600);

    const first = await store.bulkSeed.nextSubscriberId();
    const readers = Array.from({ length: 1100 }, (_, i) => ({
      row: { id: first + i, email: `r${i}@bench.example`, email_key: `r${i}@bench.example`, public_id: newPublicId(), name: null, status: 'active' as const, timezone: null, signing_key: 'k'.repeat(32), created_at: T0, updated_at: T0, confirmed_at: T0, unsubscribed_at: null },
      topics: i % 3 === 0 ? ['a', 'b'] : ['b'],
    }));
    expect(await store.bulkSeed.insertSubscribers(readers)).toBe(1100 + 367);
    await store.bulkSeed.afterExplicitSubscriberIds();
    expect((await store.subscribers.findByEmail('r3@bench.example'))?.topics.sort()).toEqual(['a', 'b']);
    // A reader added the normal way afterwards gets the next id, on PostgreSQL too.
    const added = await store.subscribers.upsert({ email: 'late@example.com', name: null, timezone: null, topics: [], status: 'active' }, T0);
    expect(added.id).toBe(first + 1100);
  });
});
