import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ArticleItem } from '../../../emails/_components/ArticleItem.js';
import { publishedLabel, publishedLabelIntl } from '../../../emails/_components/format-date.js';
import { withoutImagePreloads } from '../../../src/render/static-render.js';
import { createStoryFragments } from '../../../src/render/story-fragments.js';
import { makeArticle } from '../../helpers/edition-fixtures.js';

/** Renders stories through an edition's story slot, as the digest template does, and fills the markers. */
function throughSlot(fragments: ReturnType<typeof createStoryFragments>, stories: Array<{ article: ReturnType<typeof makeArticle>; lead?: boolean }>): string {
  const edition = fragments.forEdition();
  const marked = renderToStaticMarkup(createElement('div', null, ...stories.map((s) => createElement(edition.Story, { key: s.article.id, article: s.article, fallbackUrl: '%%td:view_online_url%%', lead: s.lead ?? false }))));
  // As the edition renderer does: React's image preloads go before markers are resolved.
  return edition.fill(withoutImagePreloads(marked));
}

const direct = (stories: Array<{ article: ReturnType<typeof makeArticle>; lead?: boolean }>) =>
  withoutImagePreloads(renderToStaticMarkup(createElement('div', null, ...stories.map((s) => createElement(ArticleItem, { key: s.article.id, article: s.article, fallbackUrl: '%%td:view_online_url%%', lead: s.lead ?? false })))));

describe('story fragments', () => {
  const photo = makeArticle({ title: 'Harbour “reopens” & <ships> sail', image: { url: 'https://img.example/a.jpg', caption: 'Ships', credit: 'Staff', width: 1200, height: 800 } });
  const plain = makeArticle({ summary: null, author: 'José Ñúñez', publishedAt: 'not a date' });

  it('gives the markup ArticleItem gives, while a story is new, kept from its second edition on, and reused', () => {
    const fragments = createStoryFragments();
    const stories = [{ article: photo, lead: true }, { article: plain }, { article: photo }];
    expect(throughSlot(fragments, stories)).toBe(direct(stories));
    expect(fragments.size).toBe(0);
    expect(throughSlot(fragments, stories)).toBe(direct(stories));
    expect(fragments.size).toBe(3);
    expect(throughSlot(fragments, stories)).toBe(direct(stories));
    expect(fragments.size).toBe(3);
  });

  it('reuses a story only while every field it shows is unchanged', () => {
    const fragments = createStoryFragments();
    const versions = [
      photo,
      { ...photo, title: 'Harbour stays shut' },
      { ...photo, image: { ...photo.image!, credit: 'Reuters' } },
      { ...photo, author: 'Lin Wei' },
      { ...photo, publishedAt: '2026-11-26T07:00:00Z' },
      photo,
    ];
    for (const article of versions) {
      for (let i = 0; i < 3; i++) expect(throughSlot(fragments, [{ article }])).toBe(direct([{ article }]));
    }
    expect(fragments.size).toBe(1);
  });

  it('cannot be fooled by story text that looks like a marker', () => {
    const fragments = createStoryFragments();
    const forged = makeArticle({ title: '<i data-story="0"></i>', summary: '<i data-story="1"></i><i data-story-end=""></i>' });
    const html = throughSlot(fragments, [{ article: forged }, { article: plain }]);
    expect(html).toBe(direct([{ article: forged }, { article: plain }]));
    expect(html).toContain('&lt;i data-story=&quot;0&quot;&gt;&lt;/i&gt;');
  });

  it('drops the least recently used stories beyond its size limit', () => {
    const fragments = createStoryFragments(6_000);
    const articles = Array.from({ length: 10 }, () => makeArticle({ summary: 'x'.repeat(400) }));
    for (const article of articles) for (let i = 0; i < 2; i++) throughSlot(fragments, [{ article }]);
    expect(fragments.size).toBeGreaterThan(0);
    expect(fragments.size).toBeLessThan(10);
    // Evicted or kept, the markup is the same.
    expect(throughSlot(fragments, [{ article: articles[0]! }])).toBe(direct([{ article: articles[0]! }]));
  });
});

describe('publishedLabel', () => {
  it('says what Intl.DateTimeFormat says, for times across years, months, hours and odd inputs', () => {
    const times: string[] = ['2026-11-26T06:00:00Z', '2026-09-03T23:59:59.999Z', '2027-01-01T00:00:00+14:00', '1969-12-31T23:59:00Z', '+275760-09-13T00:00:00Z', '0001-02-03T04:05:06Z', '2026-02-30T10:00:00Z', 'garbage', ''];
    for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2029, 0, 1); t += 23_456_789) times.push(new Date(t).toISOString());
    for (const iso of times) expect(publishedLabel(iso), iso).toBe(publishedLabelIntl(iso));
  });
});
