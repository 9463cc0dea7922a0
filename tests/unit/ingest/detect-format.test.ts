import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../../src/ingest/detect-format.js';

describe('detectFormat', () => {
  it('trusts a known file extension', () => {
    expect(detectFormat('a.JSON', '')).toBe('json');
    expect(detectFormat('a.jsonl', '')).toBe('ndjson');
    expect(detectFormat('a.ndjson', '')).toBe('ndjson');
    expect(detectFormat('feeds/a.atom', '')).toBe('feed');
    expect(detectFormat('a.rss', '')).toBe('feed');
    expect(detectFormat('page.txt', '{"looks": "like json"}')).toBe('scraped-page');
    expect(detectFormat('https://x.example/feed.xml?x=1', '')).toBe('feed');
  });

  it('sniffs content without one', () => {
    expect(detectFormat('in', '  <?xml version="1.0"?><rss>')).toBe('feed');
    expect(detectFormat('in', '<feed xmlns="http://www.w3.org/2005/Atom">')).toBe('feed');
    expect(detectFormat('in', '[{"title": "a"}]')).toBe('json');
    expect(detectFormat('in', '{\n  "title": "a"\n}')).toBe('json');
    expect(detectFormat('in', '{"title": "a"}\n{"title": "b"}\n')).toBe('ndjson');
    expect(detectFormat('in', '{"title": broken')).toBe('json');
    expect(detectFormat('in', 'A headline\n\nA paragraph.')).toBe('scraped-page');
    expect(detectFormat('https://x.example/feed', 'whatever', 'application/atom+xml; charset=utf-8')).toBe('feed');
  });

  it('refuses HTML pages', () => {
    expect(() => detectFormat('https://x.example/story', '<!DOCTYPE html><html>')).toThrow(/HTML page/);
  });
});
