import { AppError } from '../errors.js';
import { readDate } from './dates.js';
import { collapseWhitespace, htmlToText } from './html-to-text.js';
import type { ParsedArticle } from './json-articles.js';
import type { TopicResolver } from './topic-resolver.js';

/**
 * JSON Feed 1.0/1.1 (https://jsonfeed.org/version/1.1) → articles. Tags become topics only when
 * they name a catalogue topic, as RSS categories do.
 */

interface JsonFeedItem {
  id?: unknown;
  url?: unknown;
  external_url?: unknown;
  title?: unknown;
  content_html?: unknown;
  content_text?: unknown;
  summary?: unknown;
  image?: unknown;
  banner_image?: unknown;
  date_published?: unknown;
  date_modified?: unknown;
  tags?: unknown;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/** True when `data` declares itself a JSON Feed. */
export function isJsonFeed(data: unknown): boolean {
  return typeof data === 'object' && data !== null && /^https?:\/\/jsonfeed\.org\/version\//.test(String((data as { version?: unknown }).version ?? ''));
}

function mapItem(item: JsonFeedItem, where: string, feedTitle: string | null, resolve: TopicResolver, problems: string[]): ParsedArticle {
  const html = str(item.content_html);
  const body = html ? htmlToText(html) : (str(item.content_text) ?? '');
  const summary = str(item.summary);
  const dateText = str(item.date_published) ?? str(item.date_modified);
  let publishedAt: string | null = null;
  if (dateText) {
    const r = readDate(dateText);
    if (r.ok) publishedAt = r.iso;
    else problems.push(`${where}: date ${r.reason}`);
  }
  const image = str(item.image) ?? str(item.banner_image);
  const tags = Array.isArray(item.tags) ? item.tags.filter((t): t is string => typeof t === 'string') : [];
  return {
    guid: item.id === undefined || item.id === null ? null : String(item.id),
    url: str(item.url) ?? str(item.external_url),
    title: collapseWhitespace(str(item.title) ?? ''),
    summary: summary ? htmlToText(summary) : null,
    body: body || (summary ?? ''),
    image: image ? { url: image, caption: null, credit: null } : null,
    source: feedTitle,
    publishedAt,
    topics: [...new Set(tags.map((t) => resolve(t)).filter((s): s is string => s !== undefined))],
    where,
  };
}

/** Maps a parsed JSON Feed document; items without a title or with an impossible date refuse the feed. */
export function parseJsonFeed(data: unknown, origin: string, resolve: TopicResolver): ParsedArticle[] {
  const feed = data as { title?: unknown; items?: unknown };
  if (!Array.isArray(feed.items)) {
    throw new AppError('INPUT_INVALID', `${origin}: JSON Feed has no "items" array`, { hint: 'see https://jsonfeed.org/version/1.1; nothing was saved' });
  }
  const problems: string[] = [];
  const articles = (feed.items as JsonFeedItem[]).map((it, i) => mapItem(it ?? {}, `item ${i + 1}`, str(feed.title), resolve, problems));
  articles.forEach((a) => a.title === '' && problems.push(`${a.where}${a.guid ? ` (${a.guid})` : ''}: no title`));
  if (problems.length > 0) {
    throw new AppError('INPUT_INVALID', `${origin}: ${problems.length} problem(s) in the JSON Feed, first ${problems[0]}`, {
      details: problems,
      hint: 'every item needs a title and a real date (years 1970–2100); nothing from the feed was saved',
    });
  }
  return articles;
}
