import { describe, expect, it } from 'vitest';
import { testDialects } from '../../helpers/dialects.js';
import { storePerTest } from '../../helpers/store-per-test.js';

/** Followers per topic, joined and left, on SQLite and PostgreSQL. */

const T0 = new Date('2026-11-20T08:00:00Z');
const DAY = 86_400_000;
const iso = (daysAfter: number) => new Date(T0.getTime() + daysAfter * DAY).toISOString();

describe.each(testDialects())('topicGrowth on %s', (dialect) => {
  const s = storePerTest(dialect);

  it('counts active followers now, arrivals and departures since the cut-off; erased readers and pending ones do not count', async () => {
    const store = s.store();
    await store.topics.upsert([{ slug: 'world', name: 'World' }, { slug: 'tech', name: 'Tech' }, { slug: 'climate', name: 'Climate' }], iso(-90));
    const add = async (email: string, topics: string[], at: number, status: 'active' | 'pending' = 'active') =>
      (await store.subscribers.upsert({ email, name: null, timezone: null, topics, status }, iso(at))).id;
    await add('old@example.com', ['world', 'tech'], -60);
    const left = await add('left@example.com', ['world'], -60);
    const bounced = await add('bounced@example.com', ['tech'], -60);
    const leftLongAgo = await add('gone@example.com', ['world'], -60);
    await add('new@example.com', ['world'], -1);
    await add('pending@example.com', ['world'], -1, 'pending');
    const erased = await add('erased@example.com', ['world'], -1);
    await store.subscribers.setStatus(left, 'unsubscribed', iso(-2));
    await store.subscribers.setStatus(bounced, 'bounced', iso(-2));
    await store.subscribers.setStatus(leftLongAgo, 'unsubscribed', iso(-45));
    await store.transaction((tx) => tx.privacy.erase(erased, 'erased@example.com', 'h'.repeat(64), 'test', iso(0)));

    const growth = await store.admin.topicGrowth(iso(-30));
    const bySlug = Object.fromEntries(growth.map((g) => [g.slug, [g.followers, g.joined, g.left]]));
    expect(bySlug.world).toEqual([2, 1, 1]);
    expect(bySlug.tech).toEqual([1, 0, 1]);
    expect(bySlug.climate).toEqual([0, 0, 0]);
    // Catalogue order, every topic listed.
    expect(growth.map((g) => g.slug)).toEqual(['world', 'tech', 'climate']);
  });
});
