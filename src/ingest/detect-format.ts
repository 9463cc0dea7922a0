import { extname } from 'node:path';
import { AppError } from '../errors.js';

/** The input formats the article import understands. */
export type SourceFormat = 'json' | 'ndjson' | 'feed' | 'scraped-page' | 'html-page';

const BY_EXTENSION: Record<string, SourceFormat> = {
  '.json': 'json',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
  '.xml': 'feed',
  '.rss': 'feed',
  '.atom': 'feed',
  '.txt': 'scraped-page',
};

function sniffJson(content: string): SourceFormat {
  if (content.trimStart().startsWith('[')) return 'json';
  try {
    JSON.parse(content);
    return 'json';
  } catch {
    // Several complete objects, one per line, is NDJSON; anything else is broken JSON, reported as such.
    const first = content.split(/\r?\n/).find((l) => l.trim() !== '');
    try {
      JSON.parse(first ?? '');
      return 'ndjson';
    } catch {
      return 'json';
    }
  }
}

/**
 * Chooses a parser: the file extension (or URL path extension) decides; without a known one, the
 * content type and then the first characters do (`<rss`/`<feed` → feed, `{`/`[` → JSON, else a
 * scraped text page). HTML pages are refused: they need a scraper first.
 */
export function detectFormat(name: string, content: string, contentType: string | null = null): SourceFormat {
  const path = /^https?:\/\//i.test(name) && URL.canParse(name) ? new URL(name).pathname : name;
  const byExt = BY_EXTENSION[extname(path).toLowerCase()];
  if (byExt) return byExt;
  const head = content.replace(/^\uFEFF/, '').trimStart().slice(0, 512).toLowerCase();
  if (/^<!doctype html|^<html/.test(head) || contentType?.includes('text/html')) {
    throw new AppError('INPUT_INVALID', `${name}: is an HTML page, not a feed or an article file`, {
      hint: 'give the site\'s RSS/Atom feed URL, or save the article as plain text (.txt)',
    });
  }
  if (head.startsWith('<') || /xml|rss|atom/.test(contentType ?? '')) return 'feed';
  if (head.startsWith('{') || head.startsWith('[')) return sniffJson(content);
  if (/ndjson|jsonl/.test(contentType ?? '')) return 'ndjson';
  return 'scraped-page';
}
