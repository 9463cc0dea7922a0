import { describe, expect, it } from 'vitest';
import { countArticles, dropArticles } from '../../../src/render/size-budget.js';
import { makeArticle, makeSection } from '../../helpers/edition-fixtures.js';

const ids = (sections: ReturnType<typeof dropArticles>) => sections.map((s) => s.articles.map((a) => a.id));

describe('dropArticles', () => {
  const sections = () => [
    makeSection('A', [1, 2].map((id) => makeArticle({ id }))),
    makeSection('B', [3, 4, 5, 6].map((id) => makeArticle({ id }))),
    makeSection('C', [7, 8, 9, 10].map((id) => makeArticle({ id }))),
  ];

  it('takes the last article of the longest section, later section first on a tie', () => {
    expect(ids(dropArticles(sections(), 1))).toEqual([[1, 2], [3, 4, 5, 6], [7, 8, 9]]);
    expect(ids(dropArticles(sections(), 2))).toEqual([[1, 2], [3, 4, 5], [7, 8, 9]]);
    expect(ids(dropArticles(sections(), 4))).toEqual([[1, 2], [3, 4], [7, 8]]);
    expect(ids(dropArticles(sections(), 5))).toEqual([[1, 2], [3, 4], [7]]);
  });

  it('drops emptied sections and stops when nothing is left', () => {
    const out = dropArticles(sections(), 99);
    expect(out).toEqual([]);
    expect(countArticles(dropArticles(sections(), 9))).toBe(1);
    expect(dropArticles(sections(), 9).map((s) => s.topic.name)).toEqual(['A']);
  });

  it('does not mutate its input', () => {
    const input = sections();
    dropArticles(input, 4);
    expect(countArticles(input)).toBe(10);
  });
});
