import { describe, expect, it } from 'vitest';
import { articleKey, articleKeys, canonicalUrl } from '../../../src/ingest/article-key.js';

describe('canonicalUrl', () => {
  it('lower-cases the host, drops the fragment and tracking parameters, keeps the rest', () => {
    expect(canonicalUrl('HTTPS://News.Example.COM:443/World/Story?id=7&utm_source=rss&UTM_Medium=x&fbclid=abc#comments')).toBe(
      'https://news.example.com/World/Story?id=7',
    );
    expect(canonicalUrl('https://news.example.com/a?utm_campaign=z')).toBe('https://news.example.com/a');
    expect(canonicalUrl('https://news.example.com/a?b=1&a=2')).toBe('https://news.example.com/a?b=1&a=2');
  });

  it('returns null for anything that is not an http(s) URL', () => {
    expect(canonicalUrl('ftp://x.example/a')).toBeNull();
    expect(canonicalUrl('/relative/path')).toBeNull();
    expect(canonicalUrl('urn:uuid:1234')).toBeNull();
  });
});

describe('articleKey', () => {
  it('prefers the canonical URL, then the guid, then a hash of title and source', () => {
    expect(articleKey({ url: 'https://a.example/x#top', guid: 'g1', title: 'T' })).toBe('guid:g1');
    expect(articleKeys({ url: 'https://a.example/x#top', guid: 'g1', title: 'T' })).toEqual(['guid:g1', 'https://a.example/x']);
    expect(articleKey({ url: 'https://a.example/x#top', title: 'T' })).toBe('https://a.example/x');
    expect(articleKey({ url: null, guid: 'g1', title: 'T' })).toBe('guid:g1');
    expect(articleKey({ guid: 'https://A.example/p?utm_source=x', title: 'T' })).toBe('https://a.example/p');
    const hash = articleKey({ title: 'Headline', source: 'REUTERS' });
    expect(hash).toMatch(/^hash:[0-9a-f]{64}$/);
    expect(articleKey({ title: ' Headline ', source: 'REUTERS' })).toBe(hash);
    expect(articleKey({ title: 'Headline', source: 'AFP' })).not.toBe(hash);
    expect(articleKey({ title: 'Headline', source: null })).not.toBe(hash);
  });
});
