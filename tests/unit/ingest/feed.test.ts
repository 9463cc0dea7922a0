import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../src/errors.js';
import { parseFeedArticles } from '../../../src/ingest/feed.js';
import { createTopicResolver } from '../../../src/ingest/topic-resolver.js';
import { DEFAULT_TOPICS } from '../../../src/topics/default-catalogue.js';
import { atomFeed, rssFeed } from '../../helpers/feed-fixture.js';

const resolve = createTopicResolver(DEFAULT_TOPICS);

describe('parseFeedArticles (RSS)', () => {
  it('maps guid, link, title, description, content, image, date and categories', () => {
    const [a] = parseFeedArticles(
      rssFeed([
        {
          title: 'Tram & bus fares frozen',
          link: 'https://gazette.example/fares?utm_source=rss',
          guid: 'gazette-1001',
          description: '<p>Fares stay <b>flat</b> &amp; rise next year.</p>',
          content: '<p>First paragraph.</p><script>alert(1)</script><p>Second <a href="/x">paragraph</a>.</p>',
          categories: ['Business', 'Local news', 'ukraine-war'],
          pubDate: 'Sat, 01 Mar 2025 08:30:00 GMT',
          media: { url: 'https://img.example/tram.jpg', caption: 'A tram at <i>dusk</i>.', credit: 'Ana Ruiz' },
        },
      ]),
      'feed.xml',
      resolve,
    );
    expect(a).toEqual({
      guid: 'gazette-1001',
      url: 'https://gazette.example/fares?utm_source=rss',
      title: 'Tram & bus fares frozen',
      summary: 'Fares stay flat & rise next year.',
      body: 'First paragraph.\n\nSecond paragraph.',
      image: { url: 'https://img.example/tram.jpg', caption: 'A tram at dusk.', credit: 'Ana Ruiz' },
      source: 'The Example Gazette',
      author: null,
      publishedAt: '2025-03-01T08:30:00.000Z',
      topics: ['business', 'ukraine-war'],
      where: 'item 1',
    });
  });

  it('leaves topics empty when no category names a catalogue topic, and falls back to description for the body', () => {
    const [a] = parseFeedArticles(rssFeed([{ title: 'T', link: 'https://g.example/1', description: 'Just text.', categories: ['Local news'] }]), 'f.xml', resolve);
    expect(a!.topics).toEqual([]);
    expect(a!.body).toBe('Just text.');
  });

  it('uses an image enclosure, a permalink guid as the link, and the item source', () => {
    const [a] = parseFeedArticles(
      rssFeed([{ title: 'T', guid: 'https://g.example/p/9', guidIsPermaLink: true, enclosure: { url: 'https://img.example/e.png', type: 'image/png' }, source: 'Wire Service' }]),
      'f.xml',
      resolve,
    );
    expect(a).toMatchObject({ url: 'https://g.example/p/9', image: { url: 'https://img.example/e.png', caption: null, credit: null }, source: 'Wire Service', publishedAt: null });
  });

  it('ignores audio enclosures', () => {
    const [a] = parseFeedArticles(rssFeed([{ title: 'T', enclosure: { url: 'https://x.example/a.mp3', type: 'audio/mpeg' } }]), 'f.xml', resolve);
    expect(a!.image).toBeNull();
  });

  it('rejects a feed with an untitled item, naming the item', () => {
    let caught: unknown;
    try {
      parseFeedArticles(rssFeed([{ title: 'ok' }, { description: 'no title', guid: 'g-2' }]), 'f.xml', resolve);
    } catch (err) {
      caught = err;
    }
    expect(isAppError(caught, 'INPUT_INVALID')).toBe(true);
    expect((caught as { details: string[] }).details).toEqual(['item 2 (g-2): no title']);
  });

  it('rejects something that is not a feed', () => {
    expect(() => parseFeedArticles('<html><body>hi</body></html>', 'page.xml', resolve)).toThrow(/page\.xml: not a readable RSS or Atom feed/);
  });
});

describe('parseFeedArticles (Atom)', () => {
  it('maps id, alternate link, html title and content, summary, published and category labels', () => {
    const [a] = parseFeedArticles(
      atomFeed([
        {
          id: 'urn:gazette:77',
          title: 'Strait &lt;tensions&gt; rise',
          titleType: 'html',
          link: 'https://gazette.example/strait',
          summary: 'Ships shadow each other.',
          content: '<p>Naval ships shadowed each other.</p><p>Officials urged calm.</p>',
          categories: [{ term: 'x-1', label: 'Taiwan' }, { term: 'misc' }],
          published: '2025-03-02T06:00:00+08:00',
          updated: '2025-03-03T00:00:00Z',
        },
      ]),
      'f.atom',
      resolve,
    );
    expect(a).toEqual({
      guid: 'urn:gazette:77',
      url: 'https://gazette.example/strait',
      title: 'Strait <tensions> rise',
      summary: 'Ships shadow each other.',
      body: 'Naval ships shadowed each other.\n\nOfficials urged calm.',
      image: null,
      source: 'The Example Gazette',
      author: null,
      publishedAt: '2025-03-01T22:00:00.000Z',
      topics: ['taiwan'],
      where: 'entry 1',
    });
  });

  it('uses updated when published is missing', () => {
    const [a] = parseFeedArticles(atomFeed([{ id: 'urn:1', title: 'T', updated: '2025-03-05T00:00:00Z' }]), 'f.atom', resolve);
    expect(a!.publishedAt).toBe('2025-03-05T00:00:00.000Z');
  });
});
