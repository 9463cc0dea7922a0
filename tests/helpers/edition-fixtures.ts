import type { Article } from '../../src/model/article.js';
import type { EditionContent, EditionSection, PersonalValues } from '../../src/model/edition.js';

/** Builders for render tests: defaults for everything, overrides for what a test is about. */

let nextId = 1;

/** An article with a fresh id and plausible defaults. */
export function makeArticle(overrides: Partial<Article> = {}): Article {
  const id = overrides.id ?? nextId++;
  return {
    id,
    key: `test:${id}`,
    url: `https://news.example/story/${id}`,
    title: `Headline number ${id}`,
    summary: `Standfirst of story ${id}.`,
    body: `Body of story ${id}.`,
    image: null,
    source: 'Test Wire',
    publishedAt: '2026-11-26T06:00:00Z',
    firstSeenAt: '2026-11-26T06:00:00Z',
    topics: ['news'],
    ...overrides,
  };
}

/** A section for the topic `name` (slug derived from it). */
export function makeSection(name: string, articles: Article[]): EditionSection {
  return { topic: { slug: name.toLowerCase().replace(/[^a-z0-9]+/g, '-'), name }, articles };
}

/** An edition for 27 November 2026 with the given sections. */
export function makeEdition(sections: EditionSection[], overrides: Partial<EditionContent> = {}): EditionContent {
  return { key: `edition-${sections.map((s) => s.topic.slug).join('+')}`, localDate: '2026-11-27', sections, ...overrides };
}

/** `sectionCount` sections of `perSection` articles each, with standfirsts of `summaryLength` characters. */
export function makeLargeEdition(sectionCount: number, perSection: number, summaryLength = 1500): EditionContent {
  const sections = Array.from({ length: sectionCount }, (_, s) =>
    makeSection(
      `Topic ${s + 1}`,
      Array.from({ length: perSection }, (_, a) =>
        makeArticle({
          title: `Section ${s + 1} story ${a + 1}: a long and detailed headline about events`,
          summary: 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(Math.ceil(summaryLength / 57)).slice(0, summaryLength),
          image: { url: `https://img.example/${s}-${a}.jpg`, caption: 'A caption for the photo.', credit: 'Staff' },
        }),
      ),
    ),
  );
  return makeEdition(sections, { key: 'large' });
}

/** A reader's personal values; URLs contain `&` so escaping shows. */
export function makeReader(overrides: Partial<PersonalValues> = {}): PersonalValues {
  return {
    name: 'Ana',
    email: 'ana@example.com',
    unsubscribeUrl: 'https://digest.example/unsubscribe/tok1?src=email&kind=digest',
    preferencesUrl: 'https://digest.example/preferences/tok2?src=email&x=1',
    viewOnlineUrl: 'https://digest.example/archive/ed1?r=1&s=2',
    ...overrides,
  };
}

/** Options for a renderer used in tests. */
export const rendererOptions = {
  senderName: 'Topic Digest',
  senderAddress: '1 News Street, Example City',
  publicUrl: 'https://digest.example',
} as const;
