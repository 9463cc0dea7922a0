import { describe, expect, it } from 'vitest';
import { chunked, IN_LIST_SIZE } from '../../../src/store/chunks.js';

describe('chunked', () => {
  it('splits in order into slices of at most the size, the last one short', () => {
    expect(chunked([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunked([1, 2, 3, 4], 2)).toEqual([[1, 2], [3, 4]]);
  });

  it('gives no chunk for an empty list, so no statement runs with an empty IN list', () => {
    expect(chunked([])).toEqual([]);
  });

  it('defaults to the IN-list size and keeps every item exactly once', () => {
    const ids = Array.from({ length: IN_LIST_SIZE * 2 + 1 }, (_, i) => i);
    const parts = chunked(ids);
    expect(parts.map((p) => p.length)).toEqual([IN_LIST_SIZE, IN_LIST_SIZE, 1]);
    expect(parts.flat()).toEqual(ids);
  });

  it('refuses a size that would loop forever or drop items', () => {
    expect(() => chunked([1], 0)).toThrow(RangeError);
    expect(() => chunked([1], 1.5)).toThrow(RangeError);
  });
});
