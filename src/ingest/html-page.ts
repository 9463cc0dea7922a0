import { AppError } from '../errors.js';
import { collapseWhitespace, decodeEntities, htmlToText } from './html-to-text.js';
import type { ParsedArticle } from './json-articles.js';
import { parseScrapedPage } from './scraped-page.js';

/**
 * An article page polled as a source: the story's HTML is reduced to the scraped-page text shape
 * (headline first, one paragraph per block) and read by the same rules, so captions, credits,
 * standfirst and dates behave exactly as for saved pages. The page's own URL is the story's link.
 */

/** True when `text` is an HTML document rather than a feed. */
export function looksLikeHtml(text: string, contentType: string | null): boolean {
  return /^\s*(<!doctype html|<html)/i.test(text.replace(/^\uFEFF/, '')) || /text\/html|application\/xhtml/i.test(contentType ?? '');
}

function firstMatch(html: string, re: RegExp): string | null {
  const m = re.exec(html);
  return m?.[1] ? collapseWhitespace(decodeEntities(m[1].replace(/<[^>]*>/g, ''))) || null : null;
}

function meta(html: string, property: string): string | null {
  const tag = new RegExp(`<meta\\b[^>]*(?:property|name)=["']${property}["'][^>]*>`, 'i').exec(html)?.[0];
  return tag ? firstMatch(tag, /content=["']([^"']*)["']/i) : null;
}

/** Parses an article page's HTML; `url` is where it was fetched, and becomes the story's link. */
export function parseHtmlArticlePage(html: string, url: string): ParsedArticle {
  const headline = firstMatch(html, /<h1\b[^>]*>([\s\S]*?)<\/h1>/i) ?? meta(html, 'og:title');
  if (!headline) {
    throw new AppError('INPUT_INVALID', `${url}: an HTML page with no article headline (no <h1> or og:title)`, {
      hint: 'give the site\'s RSS/Atom/JSON feed, or the address of one article page',
    });
  }
  const region = /<article\b[\s\S]*?<\/article>/i.exec(html)?.[0] ?? /<main\b[\s\S]*?<\/main>/i.exec(html)?.[0] ?? html;
  const content = region
    .replace(/<(nav|header|footer|aside|form)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<h1\b[\s\S]*?<\/h1>/i, '');
  const page = parseScrapedPage(`${headline}\n\n${htmlToText(content)}`, url);
  const image = meta(html, 'og:image');
  return {
    ...page,
    url,
    summary: meta(html, 'og:description') ?? meta(html, 'description') ?? page.summary,
    image: image ? { url: new URL(image, url).href, caption: page.image?.caption ?? null, credit: page.image?.credit ?? null } : page.image,
    guid: null,
    where: 'the page',
  };
}
