import { describe, expect, it } from 'vitest';
import { createKeywordTagger } from '../../../src/ingest/keyword-tagger.js';
import { tagCheck } from '../../../src/ingest/tag-check.js';

/** "What would this tag": old rules against new, decided as the import's tagger decides. */

const articles = [
  { id: 1, title: 'Quantum computer passes a milestone' },
  { id: 2, title: 'Chip exports slow' },
  { id: 3, title: 'Markets', summary: 'A quantum of solace', body: 'quantum quantum' },
  { id: 4, title: 'Markets', summary: null, body: 'One quantum mention only.' },
  { id: 5, title: 'Football final' },
];
const old = { slug: 'tech', name: 'Tech', keywords: ['chip'] };
const next = { slug: 'tech', name: 'Tech', keywords: ['quantum'] };

describe('tagCheck', () => {
  it('lists the articles the new rules start and stop tagging, with both totals', () => {
    const r = tagCheck(articles, old, next);
    expect(r.checked).toBe(5);
    expect(r.before).toBe(1);
    expect(r.after).toBe(2);
    expect(r.added.map((a) => a.id)).toEqual([1, 3]);
    expect(r.removed.map((a) => a.id)).toEqual([2]);
  });

  it('agrees with the whole-catalogue tagger article by article', () => {
    const catalogue = createKeywordTagger([{ slug: 'sport', name: 'Sport', keywords: ['football'] }, next]);
    const r = tagCheck(articles, { ...next, keywords: [] }, next);
    const tagged = articles.filter((a) => catalogue.tag(a).includes('tech')).map((a) => a.id);
    expect(r.after).toBe(tagged.length);
  });

  it('a topic with no keywords falls back to its name, as the tagger does', () => {
    const r = tagCheck(articles, { slug: 'x', name: 'Football', keywords: [] }, { slug: 'x', name: 'Football', keywords: ['cricket'] });
    expect(r.removed.map((a) => a.id)).toEqual([5]);
  });
});
