import { describe, expect, it } from 'vitest';
import { createKeywordTagger, TAG_THRESHOLD } from '../../../src/ingest/keyword-tagger.js';
import { DEFAULT_TOPICS } from '../../../src/topics/default-catalogue.js';

const catalogue = DEFAULT_TOPICS.map((t) => ({ slug: t.slug, name: t.name, keywords: t.keywords ?? [] }));
const tagger = createKeywordTagger(catalogue);

describe('createKeywordTagger', () => {
  it('tags from a single title mention and returns slugs in catalogue order', () => {
    // Taiwan is listed after china in the catalogue, though it comes first in the title.
    expect(tagger.tag({ title: 'Taiwan holds drills as China watches', body: '' })).toEqual(['china', 'taiwan']);
  });

  it('matches case-insensitively, across curly apostrophes, hyphens and multi-word phrases', () => {
    expect(tagger.tag({ title: 'TAIWAN’S leader speaks', body: '' })).toEqual(['taiwan']);
    expect(tagger.tag({ title: 'Talks stress one-china policy', body: '' })).toEqual(['china', 'taiwan']);
    expect(tagger.tag({ title: 'A visit by xi  jinping', body: '' })).toEqual(['china']);
    expect(tagger.tag({ title: 'Meeting at the\nWhite House', body: '' })).toEqual(['us-politics']);
  });

  it('matches whole words only', () => {
    // "Xi" must not hit "Xinjiang", "UN" not "unusual", "AI" not "said", "oil" not "turmoil".
    expect(tagger.tag({ title: 'Xinjiang unusual turmoil', summary: 'He said so', body: 'Chinatown' })).toEqual([]);
  });

  it('needs more than a passing body mention', () => {
    const body = `${'The weather was mild and the harvest good. '.repeat(40)}One farmer mentioned Ukraine.`;
    expect(tagger.tag({ title: 'Harvest festival draws crowds', body })).toEqual([]);
    expect(tagger.scores({ title: 'x', body }).get('ukraine-war')).toBe(1);
  });

  it('weighs title 4, summary 2 and body 1 per occurrence against the threshold', () => {
    expect(TAG_THRESHOLD).toBe(4);
    const s = (a: { title: string; summary?: string; body?: string }) => tagger.scores(a).get('climate');
    expect(s({ title: 'Climate talks', summary: 'On climate.', body: 'climate climate' })).toBe(4 + 2 + 2);
    // Summary plus one body mention is 3: not enough; a second body mention tags it.
    expect(tagger.tag({ title: 'Talks', summary: 'On emissions.', body: 'Carbon.' })).toEqual([]);
    expect(tagger.tag({ title: 'Talks', summary: 'On emissions.', body: 'Carbon and solar.' })).toEqual(['climate']);
    expect(tagger.tag({ title: 'Talks', body: 'flood, heatwave, solar and carbon' })).toEqual(['climate']);
    expect(tagger.tag({ title: 'Talks', body: 'flood, heatwave and solar' })).toEqual([]);
  });

  it('falls back to the topic name when a topic has no keywords', () => {
    const t = createKeywordTagger([{ slug: 'space', name: 'Space', keywords: [] }, { slug: 'empty', name: '  ', keywords: [' '] }]);
    expect(t.tag({ title: 'Space station resupplied', body: '' })).toEqual(['space']);
  });

  it('escapes regex characters in keywords', () => {
    const t = createKeywordTagger([{ slug: 'cpp', name: 'C++', keywords: ['C++', 'U.S.'] }]);
    expect(t.tag({ title: 'Why C++ still matters', body: '' })).toEqual(['cpp']);
    expect(t.tag({ title: 'Why C still matters in USA', body: '' })).toEqual([]);
  });
});
