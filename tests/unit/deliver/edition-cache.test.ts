import { describe, expect, it } from 'vitest';
import { EditionCache } from '../../../src/deliver/edition-cache.js';

describe('EditionCache', () => {
  it('loads each key once while it stays cached, and shares one load between concurrent callers', async () => {
    const loads: string[] = [];
    const cache = new EditionCache(async (key) => (loads.push(key), `ed:${key}`), 2);
    const [a1, a2] = await Promise.all([cache.get('a'), cache.get('a')]);
    expect([a1, a2]).toEqual(['ed:a', 'ed:a']);
    expect(await cache.get('a')).toBe('ed:a');
    expect(loads).toEqual(['a']);
  });

  it('evicts the least recently used entry, not the oldest inserted', async () => {
    const loads: string[] = [];
    const cache = new EditionCache(async (key) => (loads.push(key), key), 2);
    await cache.get('a');
    await cache.get('b');
    await cache.get('a'); // a is now the most recently used
    await cache.get('c'); // evicts b
    await cache.get('a');
    expect(loads).toEqual(['a', 'b', 'c']);
    await cache.get('b');
    expect(loads).toEqual(['a', 'b', 'c', 'b']);
  });
});
