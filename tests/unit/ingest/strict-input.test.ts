import { describe, expect, it } from 'vitest';
import { applyContentLimits, cutAtWord, MAX_BODY_BYTES, MAX_SUMMARY_CHARS } from '../../../src/ingest/content-limits.js';
import { readDate } from '../../../src/ingest/dates.js';
import { decodeText } from '../../../src/ingest/decode-text.js';
import { parseFeedArticles } from '../../../src/ingest/feed.js';
import { parseArticles } from '../../../src/ingest/import-articles.js';
import { parseJsonFeed } from '../../../src/ingest/json-feed.js';
import { isAppError } from '../../../src/errors.js';

/** JSON articles through the real entry point, as `articles import` and sources read them. */
const parseJsonArticles = (text: string, source: string) => parseArticles('json', text, source, () => undefined);

const resolve = (s: string) => (s.toLowerCase() === 'china' ? 'china' : undefined);
const caught = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('did not throw');
};

describe('readDate', () => {
  it('refuses impossible calendar dates and years out of range, in ISO and RFC 822', () => {
    expect(readDate('2025-02-30')).toMatchObject({ ok: false });
    expect(readDate('Sun, 30 Feb 2025 10:00:00 GMT')).toMatchObject({ ok: false });
    expect(readDate('2024-02-29T10:00:00Z')).toEqual({ ok: true, iso: '2024-02-29T10:00:00.000Z' });
    expect(readDate('1969-12-31')).toMatchObject({ ok: false });
    expect(readDate('2101-01-01')).toMatchObject({ ok: false });
    expect(readDate('Mon, 03 Mar 2025 10:00:00 +0100')).toEqual({ ok: true, iso: '2025-03-03T09:00:00.000Z' });
    expect(readDate('yesterday')).toMatchObject({ ok: false });
  });
});

describe('content limits', () => {
  it('refuses a title over 300 characters naming the item', () => {
    const err = caught(() => applyContentLimits([{ title: 'x'.repeat(301), summary: null, body: '', where: 'item 7' }], 'f.json'));
    expect(isAppError(err, 'INPUT_INVALID')).toBe(true);
    expect((err as Error & { details: string[] }).details[0]).toContain('item 7');
  });

  it('cuts a long summary at a word boundary and caps the body, with warnings', () => {
    const summary = 'word '.repeat(200).trim();
    const body = 'é'.repeat(MAX_BODY_BYTES);
    const { items, warnings } = applyContentLimits([{ title: 'T', summary, body, where: 'item 1' }], 'f');
    expect(items[0]!.summary!.length).toBeLessThanOrEqual(MAX_SUMMARY_CHARS);
    expect(items[0]!.summary).toMatch(/word…$/);
    expect(Buffer.byteLength(items[0]!.body)).toBeLessThanOrEqual(MAX_BODY_BYTES);
    expect(items[0]!.body).not.toContain('\uFFFD');
    expect(warnings).toHaveLength(2);
    expect(cutAtWord('short', 10)).toBe('short');
  });
});

describe('decodeText', () => {
  const latin = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><rss><t>S\xe3o Paulo caf\xe9</t></rss>', 'latin1');
  it('uses the XML declaration, the HTTP charset and a BOM', () => {
    expect(decodeText(latin, null, 'f')).toContain('São Paulo café');
    expect(decodeText(Buffer.from('na\x80ve', 'latin1'), 'text/xml; charset=windows-1252', 'f')).toBe('na€ve');
    expect(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('über')]), 'text/xml; charset=iso-8859-1', 'f')).toBe('über');
    expect(() => decodeText(latin, 'text/xml; charset=klingon', 'f')).toThrow(/unknown character encoding/);
  });
});

describe('strict feeds', () => {
  const rss = (items: string) => `<?xml version="1.0"?><rss version="2.0"><channel><title>Gazette</title>${items}</channel></rss>`;
  it('refuses a truncated feed whole, with line and column', () => {
    const full = rss('<item><title>One</title><link>https://g.example/1</link></item>\n<item><title>Two</title>');
    expect(() => parseFeedArticles(full.slice(0, full.length - 20), 'cut.xml', resolve)).toThrow(/not well-formed XML at line \d+, column \d+/);
  });
  it('refuses an impossible date naming the item', () => {
    const feed = rss('<item><title>A</title><pubDate>Mon, 03 Mar 2025 10:00:00 GMT</pubDate></item><item><title>B</title><pubDate>Sun, 30 Feb 2025 10:00:00 GMT</pubDate></item>');
    expect(() => parseFeedArticles(feed, 'f.xml', resolve)).toThrow(/item 2: date/);
  });
  it('refuses impossible dates in JSON files', () => {
    expect(() => parseJsonArticles(JSON.stringify([{ title: 'A', published_at: '2025-02-30' }]), 'a.json')).toThrow(/item index 0: published_at/);
  });
});

describe('JSON Feed 1.1', () => {
  it('maps items, tags and dates', () => {
    const [a] = parseJsonFeed(
      { version: 'https://jsonfeed.org/version/1.1', title: 'Gazette', items: [{ id: '42', url: 'https://g.example/a', title: 'Hello', content_html: '<p>Body <b>text</b></p>', summary: 'Sum', image: 'https://g.example/i.jpg', date_published: '2025-03-01T08:00:00Z', tags: ['China', 'other'] }] },
      'feed.json',
      resolve,
    );
    expect(a).toMatchObject({ guid: '42', url: 'https://g.example/a', title: 'Hello', body: 'Body text', summary: 'Sum', source: 'Gazette', publishedAt: '2025-03-01T08:00:00.000Z', topics: ['china'] });
  });
});
