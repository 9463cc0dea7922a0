import { readFile } from 'node:fs/promises';
import { AppError, isAppError, messageOf } from '../errors.js';
import type { NewArticle } from '../model/article.js';
import type { Store } from '../store/store.js';
import { articleKey, canonicalUrl } from './article-key.js';
import { detectFormat, type SourceFormat } from './detect-format.js';
import { parseFeedArticles } from './feed.js';
import { fetchText, type FetchLimits } from './fetch-source.js';
import { parseJsonArticles, parseNdjsonArticles, type ParsedArticle } from './json-articles.js';
import { createKeywordTagger, type KeywordTagger } from './keyword-tagger.js';
import { parseScrapedPage } from './scraped-page.js';
import { createTopicResolver, type TopicResolver } from './topic-resolver.js';

/**
 * The article import: each source (file path or http(s) URL) is read, parsed, tagged and written
 * in its own transaction. A bad source writes nothing and is reported; the others still land.
 */

/** Options for {@link importArticles}. */
export interface ImportArticlesOptions extends FetchLimits {
  /**
   * The import time: first_seen_at of new articles, and published_at when a source has none.
   * Unset, it is read inside each source's transaction, after any fetch, so a digest planned
   * meanwhile never has a window end past articles it could not yet see.
   */
  now?: Date;
}

/** The outcome for one source. */
export interface SourceReport {
  source: string;
  format: SourceFormat | null;
  inserted: number;
  updated: number;
  /** Articles stored with no topic: neither the source nor the keywords gave one. */
  untagged: number;
  error?: AppError;
}

const isUrl = (source: string) => /^https?:\/\//i.test(source);

async function readSource(source: string, options: FetchLimits): Promise<{ text: string; contentType: string | null }> {
  if (isUrl(source)) return fetchText(source, options);
  try {
    return { text: await readFile(source, 'utf8'), contentType: null };
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : messageOf(cause);
    throw new AppError('INPUT_UNREADABLE', `${source}: cannot read (${why})`, { cause, hint: 'check the path; URLs must start with http:// or https://' });
  }
}

function parse(format: SourceFormat, text: string, source: string, resolve: TopicResolver): ParsedArticle[] {
  switch (format) {
    case 'json':
      return parseJsonArticles(text, source);
    case 'ndjson':
      return parseNdjsonArticles(text, source);
    case 'feed':
      return parseFeedArticles(text, source, resolve);
    case 'scraped-page':
      return [{ ...parseScrapedPage(text, source), guid: null, where: 'the page' }];
  }
}

/**
 * Settles each article's key and topics. Given topics must exist (by slug or name); missing ones
 * come from the keywords. Items sharing a key collapse to the last one, as a re-import would.
 */
function prepare(parsed: ParsedArticle[], source: string, tagger: KeywordTagger, resolve: TopicResolver): NewArticle[] {
  const problems: string[] = [];
  const byKey = new Map<string, NewArticle>();
  for (const { guid, where, ...a } of parsed) {
    const unknown = a.topics.filter((t) => resolve(t) === undefined);
    if (unknown.length > 0) {
      problems.push(`${where} ("${a.title.slice(0, 60)}"): unknown topic(s) ${unknown.map((t) => `"${t}"`).join(', ')}`);
      continue;
    }
    const topics = a.topics.length > 0 ? [...new Set(a.topics.map((t) => resolve(t)!))] : tagger.tag(a);
    const key = articleKey({ url: a.url, guid, title: a.title, source: a.source });
    byKey.delete(key); // keep file order for the surviving (last) copy
    byKey.set(key, { ...a, key, url: a.url ? (canonicalUrl(a.url) ?? a.url) : null, topics });
  }
  if (problems.length > 0) {
    throw new AppError('INPUT_INVALID', `${source}: ${problems.length} item(s) name topics that are not in the catalogue`, {
      details: problems,
      hint: 'add them with `topic-digest topics import <file.json>` (see `topics list`), or fix the items; nothing from this source was saved',
    });
  }
  return [...byKey.values()];
}

async function importOne(store: Store, source: string, options: ImportArticlesOptions, tagger: KeywordTagger, resolve: TopicResolver): Promise<SourceReport> {
  const { text, contentType } = await readSource(source, options);
  return importText(store, source, text, contentType, options, tagger, resolve);
}

async function importText(
  store: Store,
  source: string,
  text: string,
  contentType: string | null,
  options: ImportArticlesOptions,
  tagger: KeywordTagger,
  resolve: TopicResolver,
): Promise<SourceReport> {
  const format = detectFormat(source, text, contentType);
  const articles = prepare(parse(format, text, source, resolve), source, tagger, resolve);
  const counts = await store.transaction(async (tx) => {
    const now = (options.now ?? new Date()).toISOString();
    let inserted = 0;
    for (const article of articles) if ((await tx.articles.upsert(article, now)).inserted) inserted++;
    return { inserted, updated: articles.length - inserted };
  });
  return { source, format, ...counts, untagged: articles.filter((a) => a.topics.length === 0).length };
}

/** Imports every source in order and reports on each; it throws only if the catalogue cannot be read. */
export async function importArticles(store: Store, sources: string[], options: ImportArticlesOptions): Promise<SourceReport[]> {
  const catalogue = await store.topics.list();
  const tagger = createKeywordTagger(catalogue);
  const resolve = createTopicResolver(catalogue);
  const reports: SourceReport[] = [];
  for (const source of sources) {
    try {
      reports.push(await importOne(store, source, options, tagger, resolve));
    } catch (err) {
      // Unexpected failures are reported like input errors so earlier sources' reports survive.
      const error = isAppError(err) ? err : new AppError('INTERNAL', `${source}: ${messageOf(err)}`, { cause: err });
      reports.push({ source, format: null, inserted: 0, updated: 0, untagged: 0, error });
    }
  }
  return reports;
}

/**
 * Imports one source whose text the caller already holds (e.g. sample data it adjusted first),
 * with exactly the parsing, tagging and one-transaction write of a file import. `source` names it
 * in messages and, by its extension, picks the format. Unlike {@link importArticles} it throws.
 */
export async function importArticleText(store: Store, source: string, text: string, options: ImportArticlesOptions): Promise<SourceReport> {
  const catalogue = await store.topics.list();
  return importText(store, source, text, null, options, createKeywordTagger(catalogue), createTopicResolver(catalogue));
}
