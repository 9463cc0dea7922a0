import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.js';
import { parseNdjsonArticles } from '../../../src/ingest/json-articles.js';
import { parseArticles } from '../../../src/ingest/import-articles.js';
import { jsonArticle, ndjson } from '../../helpers/article-fixture.js';

/** JSON articles through the real entry point, as `articles import` and sources read them. */
const parseJsonArticles = (text: string, source: string) => parseArticles('json', text, source, () => undefined);

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

describe('parseJsonArticles', () => {
  it('accepts one object, an array, or {articles: [...]}', () => {
    const a = jsonArticle();
    expect(parseJsonArticles(JSON.stringify(a), 'a.json')).toHaveLength(1);
    expect(parseJsonArticles(JSON.stringify([a, jsonArticle()]), 'a.json')).toHaveLength(2);
    expect(parseJsonArticles(JSON.stringify({ articles: [a] }), 'a.json')[0]!.where).toBe('item index 0');
  });

  it('maps the alternative field names onto the model', () => {
    const [a] = parseJsonArticles(
      JSON.stringify({
        guid: 'g-1',
        headline: '  Ferry strike ends ',
        standfirst: 'Crews return.',
        publishedAt: '2025-03-02T10:00:00+08:00',
        image_url: 'https://img.example/f.jpg',
      }),
      'a.json',
    );
    expect(a).toEqual({
      guid: 'g-1',
      url: null,
      title: 'Ferry strike ends',
      summary: 'Crews return.',
      body: '',
      image: { url: 'https://img.example/f.jpg', caption: null, credit: null },
      source: null,
      author: null,
      publishedAt: '2025-03-02T02:00:00.000Z',
      topics: [],
      where: 'the article',
    });
  });

  it('keeps image caption and credit, and uses a numeric id as the guid', () => {
    const [a] = parseJsonArticles(JSON.stringify(jsonArticle({ id: 42, image: { url: 'https://img.example/a.jpg', caption: 'A quay.', credit: 'J. Doe' } })), 'a.json');
    expect(a!.image).toEqual({ url: 'https://img.example/a.jpg', caption: 'A quay.', credit: 'J. Doe' });
    expect(a!.guid).toBe('42');
  });

  it('reports every bad item by index, with the file name, in one error', () => {
    const items = [jsonArticle(), jsonArticle({ title: undefined }), jsonArticle({ url: 'not a url', published_at: 'yesterday' })];
    const err = errorOf(() => parseJsonArticles(JSON.stringify(items), 'batch.json'));
    expect(err.code).toBe('INPUT_INVALID');
    expect(err.message).toContain('batch.json');
    expect(err.details).toEqual([
      'item index 1: title: needs a title (or headline)',
      'item index 2: url: must be an absolute http(s) URL',
      expect.stringMatching(/^item index 2: published_at: must be an ISO-8601 date/),
    ]);
  });

  it('reports a JSON syntax error with line and column', () => {
    const err = errorOf(() => parseJsonArticles('[\n  {"title": "a"},\n  {"title" "b"}\n]', 'broken.json'));
    expect(err.code).toBe('INPUT_INVALID');
    expect(err.message).toMatch(/^broken\.json:3:12: invalid JSON/);
  });

  it('reports a truncated file at its end', () => {
    expect(errorOf(() => parseJsonArticles('[{"title": "a"}', 'cut.json')).message).toMatch(/^cut\.json:1:16: invalid JSON/);
  });
});

describe('parseNdjsonArticles', () => {
  it('reads one object per line and skips blank lines', () => {
    const list = parseNdjsonArticles(`${ndjson([jsonArticle()])}\n\n${ndjson([jsonArticle()])}`, 'a.ndjson');
    expect(list.map((a) => a.where)).toEqual(['line 1', 'line 4']);
  });

  it('names the line of a validation error', () => {
    const err = errorOf(() => parseNdjsonArticles(ndjson([jsonArticle(), jsonArticle(), jsonArticle({ topics: 'china' })]), 'feed.ndjson'));
    expect(err.message).toContain('feed.ndjson');
    expect(err.details).toEqual([expect.stringMatching(/^line 3: topics: /)]);
  });

  it('names the line and column of a syntax error', () => {
    const text = `${JSON.stringify(jsonArticle())}\n{"title": "x",}\n`;
    const err = errorOf(() => parseNdjsonArticles(text, 'feed.ndjson'));
    expect(err.message).toMatch(/^feed\.ndjson: line 2, column \d+: invalid JSON/);
  });
});

describe('jsonErrorOffset', () => {
  it('finds the first syntax error, or -1 for valid JSON', async () => {
    const { jsonErrorOffset } = await import('../../../src/ingest/json-text.js');
    expect(jsonErrorOffset('{"a": [1, 2.5e3, true, null, "x\\n\\u00e9"]}')).toBe(-1);
    expect(jsonErrorOffset('{"a": }')).toBe(6);
    expect(jsonErrorOffset('[1,]')).toBe(3);
    expect(jsonErrorOffset('{"a" 1}')).toBe(5);
    expect(jsonErrorOffset('"bad \\q"')).toBe(5);
    expect(jsonErrorOffset('[1] x')).toBe(4);
    expect(jsonErrorOffset('[01]')).toBe(2);
  });
});
