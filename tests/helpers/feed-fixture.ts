/** Small RSS 2.0 and Atom documents for tests, built from a few fields per item. */

/** Escapes text for XML element content and attribute values. */
export function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** One RSS item; every field optional so a test names only what it checks. */
export interface RssItemParts {
  title?: string;
  link?: string;
  guid?: string;
  guidIsPermaLink?: boolean;
  /** HTML; escaped into the element like real feeds do. */
  description?: string;
  /** HTML for content:encoded, wrapped in CDATA. */
  content?: string;
  categories?: string[];
  pubDate?: string;
  enclosure?: { url: string; type: string };
  media?: { url: string; caption?: string; credit?: string };
  source?: string;
}

function rssItem(i: RssItemParts): string {
  const parts = [
    i.title !== undefined ? `<title>${xml(i.title)}</title>` : '',
    i.link ? `<link>${xml(i.link)}</link>` : '',
    i.guid ? `<guid isPermaLink="${i.guidIsPermaLink ?? false}">${xml(i.guid)}</guid>` : '',
    i.description !== undefined ? `<description>${xml(i.description)}</description>` : '',
    i.content !== undefined ? `<content:encoded><![CDATA[${i.content}]]></content:encoded>` : '',
    ...(i.categories ?? []).map((c) => `<category>${xml(c)}</category>`),
    i.pubDate ? `<pubDate>${i.pubDate}</pubDate>` : '',
    i.enclosure ? `<enclosure url="${xml(i.enclosure.url)}" type="${i.enclosure.type}" length="1000"/>` : '',
    i.media
      ? `<media:content url="${xml(i.media.url)}" medium="image">${i.media.caption ? `<media:description>${xml(i.media.caption)}</media:description>` : ''}${i.media.credit ? `<media:credit>${xml(i.media.credit)}</media:credit>` : ''}</media:content>`
      : '',
    i.source ? `<source url="https://wire.example/rss">${xml(i.source)}</source>` : '',
  ];
  return `<item>${parts.join('')}</item>`;
}

/** An RSS 2.0 feed with content: and media: namespaces declared. */
export function rssFeed(items: RssItemParts[], title = 'The Example Gazette'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:media="http://search.yahoo.com/mrss/">
<channel><title>${xml(title)}</title><link>https://gazette.example/</link><description>News</description>
${items.map(rssItem).join('\n')}
</channel></rss>`;
}

/** One Atom entry. */
export interface AtomEntryParts {
  id: string;
  title: string;
  titleType?: 'text' | 'html';
  link?: string;
  summary?: string;
  /** HTML content (type="html"). */
  content?: string;
  categories?: Array<{ term: string; label?: string }>;
  published?: string;
  updated?: string;
}

/** An Atom feed. */
export function atomFeed(entries: AtomEntryParts[], title = 'The Example Gazette'): string {
  const entry = (e: AtomEntryParts) =>
    [
      '<entry>',
      `<id>${xml(e.id)}</id>`,
      `<title type="${e.titleType ?? 'text'}">${xml(e.title)}</title>`,
      e.link ? `<link rel="alternate" href="${xml(e.link)}"/>` : '',
      e.summary ? `<summary>${xml(e.summary)}</summary>` : '',
      e.content ? `<content type="html">${xml(e.content)}</content>` : '',
      ...(e.categories ?? []).map((c) => `<category term="${xml(c.term)}"${c.label ? ` label="${xml(c.label)}"` : ''}/>`),
      e.published ? `<published>${e.published}</published>` : '',
      `<updated>${e.updated ?? e.published ?? '2025-03-01T00:00:00Z'}</updated>`,
      '</entry>',
    ].join('');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>${xml(title)}</title><id>urn:gazette</id><updated>2025-03-01T00:00:00Z</updated>
${entries.map(entry).join('\n')}
</feed>`;
}
