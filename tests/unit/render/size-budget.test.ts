import { describe, expect, it } from 'vitest';
import { countArticles, dropLargest, storyBytes, worthCarrying } from '../../../src/render/size-budget.js';
import { makeArticle, makeSection } from '../../helpers/edition-fixtures.js';

const ids = (sections: ReturnType<typeof dropLargest>) => sections.map((s) => s.articles.map((a) => a.id));

describe('dropLargest', () => {
  const sized = (id: number, bytes: number) => makeArticle({ id, title: `T${id}`, summary: 's'.repeat(bytes), url: null, source: null });
  const sections = () => [
    makeSection('A', [sized(1, 100), sized(2, 5000)]),
    makeSection('B', [sized(3, 100), sized(4, 100), sized(5, 900_000)]),
    makeSection('C', [sized(6, 100), sized(7, 100)]),
  ];

  it('drops the one huge story, not the rest of the digest', () => {
    expect(ids(dropLargest(sections(), 10_000))).toEqual([[1, 2], [3, 4], [6, 7]]);
  });

  it('drops the largest first until the estimate covers the bytes to shed', () => {
    expect(ids(dropLargest(sections(), 900_100))).toEqual([[1], [3, 4], [6, 7]]);
  });

  it('drops at least one story, and among like sizes the last of a section, so each topic keeps its lead', () => {
    const even = [makeSection('A', [sized(1, 10), sized(2, 11)]), makeSection('B', [sized(3, 12)])];
    expect(ids(dropLargest(even, 0))).toEqual([[1], [3]]);
    expect(ids(dropLargest(even, 1e9))).toEqual([]);
  });

  it('drops emptied sections and does not mutate its input', () => {
    const input = sections();
    expect(dropLargest(input, 1e9)).toEqual([]);
    expect(countArticles(input)).toBe(7);
  });

  it('counts a story by the bytes it prints, and carries over only stories that can fit a digest', () => {
    expect(storyBytes(makeArticle({ title: 'é', summary: null, url: null, source: null, image: null }))).toBe(2);
    expect(worthCarrying(sized(1, 30_000))).toBe(true);
    expect(worthCarrying(sized(1, 120_000))).toBe(false);
  });
});
