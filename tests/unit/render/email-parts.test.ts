import { describe, expect, it } from 'vitest';
import { captionLine } from '../../../emails/_components/caption.js';
import { formatLongDate, formatShortDate, isCalendarDate } from '../../../emails/_components/format-date.js';
import { listWords } from '../../../emails/_components/list-words.js';
import { sampleArticles, sampleEdition, sampleTopics } from '../../../emails/_preview/sample-edition.js';
import { escapeHtml, singleLine } from '../../../src/render/escape.js';

describe('captionLine', () => {
  it('joins caption and credit as one sentence, adding a full stop only when missing', () => {
    expect(captionLine({ caption: 'Cranes at dusk', credit: 'Lin Wei' })).toBe('Cranes at dusk. Photo: Lin Wei');
    expect(captionLine({ caption: 'Cranes at dusk.', credit: 'Lin Wei' })).toBe('Cranes at dusk. Photo: Lin Wei');
    expect(captionLine({ caption: null, credit: 'Lin Wei' })).toBe('Photo: Lin Wei');
    expect(captionLine({ caption: 'Only a caption', credit: ' ' })).toBe('Only a caption');
    expect(captionLine({ caption: '', credit: null })).toBeNull();
  });
});

describe('date labels', () => {
  it('formats calendar dates without timezone drift and rejects impossible ones', () => {
    expect(formatLongDate('2026-11-27')).toBe('Friday 27 November 2026');
    expect(formatShortDate('2026-11-27')).toBe('Friday 27 November');
    expect(formatShortDate('2024-02-29')).toBe('Thursday 29 February');
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-1-1')).toBe(false);
    expect(() => formatLongDate('yesterday')).toThrow(RangeError);
  });
});

describe('helpers', () => {
  it('lists words as prose', () => {
    expect(listWords([])).toBe('');
    expect(listWords(['China'])).toBe('China');
    expect(listWords(['China', 'Taiwan', 'Climate'])).toBe('China, Taiwan and Climate');
  });

  it('escapes all five HTML-significant characters and flattens header text', () => {
    expect(escapeHtml(`<a href="x">Tom & Jerry's</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;');
    expect(singleLine(' a\r\n\tb  c ')).toBe('a b c');
  });
});

describe('sample edition', () => {
  it('is consistent: unique keys, known topics, and every article in exactly one section', () => {
    const slugs = new Set(sampleTopics.map((t) => t.slug));
    expect(new Set(sampleArticles.map((a) => a.key)).size).toBe(sampleArticles.length);
    for (const a of sampleArticles) for (const t of a.topics) expect(slugs.has(t)).toBe(true);
    const ids = sampleEdition.sections.flatMap((s) => s.articles.map((a) => a.id));
    expect(new Set(ids).size).toBe(sampleArticles.length);
    expect(sampleEdition.sections.length).toBeGreaterThanOrEqual(3);
  });
});
