import { describe, expect, it } from 'vitest';
import { testDialects } from '../../helpers/dialects.js';
import { storePerTest } from '../../helpers/store-per-test.js';

const T0 = '2026-11-27T08:00:00.000Z';

/** `subscribers.page`, the admin API's keyset paging, on each dialect: order, filters, LIKE escaping. */
describe.each(testDialects())('subscriber pages on %s', (dialect) => {
  const s = storePerTest(dialect);

  it('pages in id order after a cursor, with every filter alone and combined', async () => {
    const store = s.store();
    await store.topics.upsert([{ slug: 'world', name: 'World' }, { slug: 'tech', name: 'Tech' }], T0);
    const ids: number[] = [];
    for (const [email, name, topics, status] of [
      ['ann@example.com', 'Ann 100%', ['world'], 'active'],
      ['Bob@Example.com', null, ['tech'], 'pending'],
      ['cy@example.com', 'Cy_x', ['world', 'tech'], 'active'],
      ['dee@example.com', 'Dee', ['tech'], 'active'],
    ] as const) ids.push((await store.subscribers.upsert({ email, name, timezone: null, topics: [...topics], status }, T0)).id);
    const emails = async (...args: Parameters<typeof store.subscribers.page>) => (await store.subscribers.page(...args)).map((r) => r.email);

    expect(await emails({}, 0, 2)).toEqual(['ann@example.com', 'Bob@Example.com']);
    expect(await emails({}, ids[1]!, 2)).toEqual(['cy@example.com', 'dee@example.com']);
    expect(await emails({}, ids[3]!, 2)).toEqual([]);
    expect(await emails({ status: 'active' }, 0, 10)).toEqual(['ann@example.com', 'cy@example.com', 'dee@example.com']);
    expect(await emails({ topic: 'tech' }, 0, 10)).toEqual(['Bob@Example.com', 'cy@example.com', 'dee@example.com']);
    expect(await emails({ topic: 'tech', status: 'active' }, ids[2]!, 10)).toEqual(['dee@example.com']);
    expect(await emails({ email: 'BOB@example.COM' }, 0, 10)).toEqual(['Bob@Example.com']);
    expect(await emails({ query: 'EXAMPLE.COM' }, 0, 10)).toHaveLength(4);
    expect(await emails({ query: '0%' }, 0, 10)).toEqual(['ann@example.com']);
    expect(await emails({ query: 'y_' }, 0, 10)).toEqual(['cy@example.com']);
    expect(await emails({ query: '_' }, 0, 10)).toEqual(['cy@example.com']);
    // Topics come with each reader, as everywhere else.
    expect((await store.subscribers.page({ email: 'cy@example.com' }, 0, 1))[0]!.topics.sort()).toEqual(['tech', 'world']);
  });
});
