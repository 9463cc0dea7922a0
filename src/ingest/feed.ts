import { XMLValidator } from 'fast-xml-parser';
import { parseFeed, type AnyFeed, type AtomFeed, type MediaNs, type RssFeed } from 'feedsmith';
import { AppError } from '../errors.js';
import { readDate } from './dates.js';
import type { ArticleImage } from '../model/article.js';
import { collapseWhitespace, htmlToText } from './html-to-text.js';
import type { ParsedArticle } from './json-articles.js';
import type { TopicResolver } from './topic-resolver.js';

/**
 * RSS 2.0 / RDF and Atom feeds → articles, via feedsmith. Categories become topics only when
 * they name a catalogue topic; otherwise `topics` stays empty and the import tags by keyword.
 */

type RssItem = RssFeed.Item<string>;
type AtomEntry = AtomFeed.Entry<string>;

/** Date problems found while mapping items; the whole feed is refused if there are any. */
type DateProblems = string[];

/** Feed dates are RFC 822 (RSS) or RFC 3339 (Atom), read strictly; none means "use the import time". */
function toIso(date: string | undefined, where: string, problems: DateProblems): string | null {
  if (!date || date.trim() === '') return null;
  const r = readDate(date);
  if (r.ok) return r.iso;
  problems.push(`${where}: date ${r.reason}`);
  return null;
}

function blank(v: string | null | undefined): string | null {
  const t = v == null ? '' : v.trim();
  return t === '' ? null : t;
}

const looksLikeImage = (type?: string, url?: string) =>
  (type?.startsWith('image/') ?? false) || (!type && /\.(jpe?g|png|gif|webp|avif)(\?|$)/i.test(url ?? ''));

/** The first image in media:content / media:group / media:thumbnail, with its caption and credit. */
function mediaImage(media: MediaNs.ItemOrFeed | undefined): ArticleImage | null {
  if (!media) return null;
  const contents = [...(media.contents ?? []), ...(media.groups ?? []).flatMap((g) => g.contents ?? [])];
  const c = contents.find((m) => m.url && (m.medium === 'image' || looksLikeImage(m.type, m.url)));
  const url = c?.url ?? media.thumbnails?.[0]?.url;
  if (!url) return null;
  const caption = blank(c?.description?.value ?? media.description?.value ?? c?.title?.value ?? null);
  const credit = blank(c?.credits?.[0]?.value ?? media.credits?.[0]?.value ?? null);
  return { url, caption: caption === null ? null : htmlToText(caption), credit };
}

function topicsOf(labels: Array<string | undefined>, resolve: TopicResolver): string[] {
  const slugs = labels.flatMap((l) => (l ? [resolve(l)] : [])).filter((s): s is string => s !== undefined);
  return [...new Set(slugs)];
}

function fromRssItem(item: RssItem, where: string, feedTitle: string | null, resolve: TopicResolver, problems: DateProblems): ParsedArticle {
  const guid = blank(item.guid?.value);
  const link = blank(item.link) ?? (guid && item.guid?.isPermaLink !== false && /^https?:\/\//i.test(guid) ? guid : null);
  const summary = item.description ? blank(htmlToText(item.description)) : null;
  const body = item.content?.encoded ? htmlToText(item.content.encoded) : (summary ?? '');
  const enclosure = item.enclosures?.find((e) => e.url && looksLikeImage(e.type, e.url));
  const image = mediaImage(item.media) ?? (enclosure?.url ? { url: enclosure.url, caption: null, credit: null } : null);
  return {
    guid,
    url: link,
    title: collapseWhitespace(item.title ?? ''),
    summary,
    body,
    image,
    source: blank(item.source?.title) ?? feedTitle,
    publishedAt: toIso(item.pubDate ?? item.dc?.dates?.[0] ?? item.dcterms?.created?.[0], where, problems),
    topics: topicsOf((item.categories ?? []).map((c) => c.name), resolve),
    where,
  };
}

/** Atom text constructs may be html or xhtml; both become plain text. */
function atomText(t: { value?: string; type?: string } | undefined): string | null {
  if (!t?.value) return null;
  return blank(t.type === 'html' || t.type === 'xhtml' ? htmlToText(t.value) : t.type === 'text' || !t.type ? t.value : htmlToText(t.value));
}

function fromAtomEntry(entry: AtomEntry, where: string, feedTitle: string | null, resolve: TopicResolver, problems: DateProblems): ParsedArticle {
  const links = entry.links ?? [];
  const link = links.find((l) => !l.rel || l.rel === 'alternate')?.href ?? null;
  const summary = atomText(entry.summary);
  const enclosure = links.find((l) => l.rel === 'enclosure' && looksLikeImage(l.type, l.href));
  return {
    guid: blank(entry.id),
    url: blank(link),
    title: collapseWhitespace(atomText(entry.title) ?? ''),
    summary,
    body: atomText(entry.content) ?? summary ?? '',
    image: mediaImage(entry.media) ?? (enclosure?.href ? { url: enclosure.href, caption: null, credit: null } : null),
    source: blank(entry.source?.title?.value) ?? feedTitle,
    publishedAt: toIso(entry.published ?? entry.updated, where, problems),
    topics: topicsOf((entry.categories ?? []).flatMap((c) => [c.term, c.label]), resolve),
    where,
  };
}

/**
 * Refuses a document that is not well-formed XML, with its line and column: a truncated feed
 * would otherwise import its first half and silently lose the rest.
 */
function assertWellFormed(xml: string, origin: string): void {
  const result = XMLValidator.validate(xml.replace(/^\uFEFF/, ''), { allowBooleanAttributes: true });
  if (result === true) return;
  const { line, col, msg } = result.err;
  throw new AppError('INPUT_INVALID', `${origin}: not well-formed XML at line ${line}, column ${col}: ${msg}`, {
    hint: 'the feed is broken or was cut off in transit; nothing from it was saved',
  });
}

/** Parses an RSS, RDF or Atom document. `origin` names the file or URL in errors. */
export function parseFeedArticles(xml: string, origin: string, resolveTopic: TopicResolver): ParsedArticle[] {
  assertWellFormed(xml, origin);
  let parsed: AnyFeed<string>;
  try {
    parsed = parseFeed<string>(xml);
  } catch (cause) {
    throw new AppError('INPUT_INVALID', `${origin}: not a readable RSS or Atom feed`, {
      cause,
      hint: 'check that the file or URL serves RSS 2.0 or Atom XML',
    });
  }
  const problems: DateProblems = [];
  const articles =
    parsed.format === 'atom'
      ? (parsed.feed.entries ?? []).map((e, i) => fromAtomEntry(e, `entry ${i + 1}`, atomText(parsed.feed.title), resolveTopic, problems))
      : parsed.format === 'rss' || parsed.format === 'rdf'
        ? ((parsed.feed.items ?? []) as RssItem[]).map((it, i) => fromRssItem(it, `item ${i + 1}`, blank(parsed.feed.title), resolveTopic, problems))
        : null;
  if (problems.length > 0) {
    throw new AppError('INPUT_INVALID', `${origin}: ${problems.length} item(s) have an impossible date, first ${problems[0]}`, {
      details: problems,
      hint: 'fix the dates in the feed (real calendar dates, years 1970–2100); nothing from the feed was saved',
    });
  }
  if (articles === null) {
    throw new AppError('INPUT_INVALID', `${origin}: JSON Feed is not supported`, { hint: 'export the feed as RSS or Atom' });
  }
  const untitled = articles.filter((a) => a.title === '');
  if (untitled.length > 0) {
    throw new AppError('INPUT_INVALID', `${origin}: ${untitled.length} feed item(s) have no title`, {
      details: untitled.map((a) => `${a.where}${a.guid ? ` (${a.guid})` : ''}: no title`),
      hint: 'every item needs a <title>; nothing from the feed was saved',
    });
  }
  return articles;
}
