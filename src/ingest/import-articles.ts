import { readFile } from 'node:fs/promises';
import { AppError, isAppError, messageOf } from '../errors.js';
import type { NewArticle } from '../model/article.js';
import type { Store } from '../store/store.js';
import { articleKeys, canonicalUrl } from './article-key.js';
import { applyContentLimits, InvalidItemsError, type ItemProblem } from './content-limits.js';
import { decodeText } from './decode-text.js';
import { detectFormat, type SourceFormat } from './detect-format.js';
import { parseFeedArticles } from './feed.js';
import { looksLikeHtml, parseHtmlArticlePage } from './html-page.js';
import { fetchText, type FetchLimits } from './fetch-source.js';
import { articlesFromJson, parseNdjsonArticles, type ParsedArticle } from './json-articles.js';
import { isJsonFeed, parseJsonFeed } from './json-feed.js';
import { parseJsonText } from './json-text.js';
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
  /** Site-relative image URLs (`/static/…`) are resolved against this (PUBLIC_URL). */
  publicUrl?: string;
  /** Topic slugs added to every item (a source's `--topics`), on top of the item's own. */
  extraTopics?: string[];
  /** For a scraped page: its link, and its time (ISO) overriding any date printed in the page. */
  page?: { url?: string; publishedAt?: string };
}

/** The outcome for one source. */
export interface SourceReport {
  source: string;
  format: SourceFormat | null;
  inserted: number;
  updated: number;
  /** Articles stored with no topic: neither the source nor the keywords gave one. */
  untagged: number;
  /** Non-fatal cuts (long summaries, huge bodies), one line per item. */
  warnings: string[];
  /** Of `updated`, the stories that were already stored exactly so (nothing written). */
  unchanged: number;
  /** Ids of the stored articles, in source order. */
  ids: number[];
  /** For a scraped page, where its time came from. */
  dateFrom?: 'given' | 'page' | 'import time';
  error?: AppError;
}

/** The catalogue-derived helpers every import needs; built once per run. */
export interface ImportTools {
  tagger: KeywordTagger;
  resolve: TopicResolver;
}

const isUrl = (source: string) => /^https?:\/\//i.test(source);

/** Builds the tagger and topic resolver from the stored catalogue. */
export async function loadImportTools(store: Pick<Store, 'topics'>): Promise<ImportTools> {
  const catalogue = await store.topics.list();
  return { tagger: createKeywordTagger(catalogue), resolve: createTopicResolver(catalogue) };
}

async function readSource(source: string, options: FetchLimits): Promise<{ text: string; contentType: string | null }> {
  if (isUrl(source)) return fetchText(source, options);
  try {
    return { text: decodeText(await readFile(source), null, source), contentType: null };
  } catch (cause) {
    if (isAppError(cause)) throw cause;
    const code = (cause as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : messageOf(cause);
    throw new AppError('INPUT_UNREADABLE', `${source}: cannot read (${why})`, { cause, hint: 'check the path; URLs must start with http:// or https://' });
  }
}

/** Parses text in a known format into articles (not yet keyed, tagged or limited). */
export function parseArticles(format: SourceFormat, text: string, source: string, resolve: TopicResolver): ParsedArticle[] {
  switch (format) {
    case 'json': {
      const data = parseJsonText(text, source);
      return isJsonFeed(data) ? parseJsonFeed(data, source, resolve) : articlesFromJson(data, source);
    }
    case 'ndjson':
      return parseNdjsonArticles(text, source);
    case 'feed':
      return parseFeedArticles(text, source, resolve);
    case 'scraped-page':
      return [{ ...parseScrapedPage(text, source), guid: null, where: 'the page' }];
    case 'html-page':
      return [parseHtmlArticlePage(text, source)];
  }
}

/**
 * Picks the format of fetched or read text and parses it. With `htmlPages` (polled sources), an
 * HTML document is an article page: one story linked to its URL. Otherwise HTML is refused by
 * {@link detectFormat}, so a feed URL that now serves a home page is an error, not a story.
 */
export function parseSourceText(source: string, text: string, contentType: string | null, resolve: TopicResolver, htmlPages = false): { format: SourceFormat; parsed: ParsedArticle[] } {
  const format: SourceFormat = htmlPages && looksLikeHtml(text, contentType) ? 'html-page' : detectFormat(source, text, contentType);
  return { format, parsed: parseArticles(format, text, source, resolve) };
}

/** Applies `--url`/`--published-at` to a scraped page and says where its time came from. */
function settlePage(format: SourceFormat, parsed: ParsedArticle[], source: string, page: ImportArticlesOptions['page']): SourceReport['dateFrom'] {
  if (format !== 'scraped-page') {
    if (page?.url || page?.publishedAt) throw new AppError('USAGE', `${source}: --url and --published-at apply to a scraped page (.txt) only`);
    return undefined;
  }
  const [article] = parsed;
  if (!article) return undefined;
  if (page?.url) article.url = page.url;
  if (page?.publishedAt) article.publishedAt = page.publishedAt;
  return page?.publishedAt ? 'given' : article.publishedAt ? 'page' : 'import time';
}

/** Resolves a site-relative image address against PUBLIC_URL; absolute ones are kept. */
function resolveImage(a: ParsedArticle, publicUrl: string | undefined): ParsedArticle['image'] {
  const url = a.image?.url;
  if (!a.image || !url || !url.startsWith('/') || url.startsWith('//')) return a.image;
  if (!publicUrl) {
    throw new AppError('INPUT_INVALID', `${a.where}: image "${url}" is site-relative and there is no PUBLIC_URL to resolve it against`, { hint: 'set PUBLIC_URL or give an absolute image URL' });
  }
  return { ...a.image, url: new URL(url, `${publicUrl.replace(/\/+$/, '')}/`).href };
}

/**
 * Settles each article's key and topics and applies the content limits. Given topics must exist
 * (by slug or name); missing ones come from the keywords. Items sharing a key collapse to the
 * last one, as a re-import would.
 */
export function prepareArticles(parsed: ParsedArticle[], source: string, tools: ImportTools, options: ImportArticlesOptions = {}): { articles: NewArticle[]; warnings: string[] } {
  const { items, warnings } = applyContentLimits(parsed, source);
  const problems: ItemProblem[] = [];
  const byKey = new Map<string, NewArticle>();
  for (const { guid, where, ...a } of items) {
    const unknown = a.topics.filter((t) => tools.resolve(t) === undefined);
    if (unknown.length > 0) {
      problems.push({ where, field: 'topics', message: `unknown topic(s) ${unknown.map((t) => `"${t}"`).join(', ')} ("${a.title.slice(0, 60)}")` });
      continue;
    }
    const own = a.topics.length > 0 ? a.topics.map((t) => tools.resolve(t)!) : tools.tagger.tag(a);
    const topics = [...new Set([...own, ...(options.extraTopics ?? [])])];
    const [key, ...altKeys] = articleKeys({ url: a.url, guid, title: a.title, source: a.source }) as [string, ...string[]];
    const image = resolveImage({ ...a, guid, where }, options.publicUrl);
    byKey.delete(key); // keep file order for the surviving (last) copy
    byKey.set(key, { ...a, image, key, altKeys, url: a.url ? (canonicalUrl(a.url) ?? a.url) : null, topics });
  }
  if (problems.length > 0) {
    throw new InvalidItemsError(
      `${source}: ${problems.length} item(s) name topics that are not in the catalogue`,
      problems,
      'add them with `topic-digest topics import <file.json>` (see `topics list`), or fix the items; nothing from this source was saved',
    );
  }
  return { articles: [...byKey.values()], warnings };
}

/** Writes prepared articles in the caller's transaction; `now` is the import time. */
export async function writeArticles(tx: Store, articles: NewArticle[], now: string): Promise<{ inserted: number; updated: number; unchanged: number; ids: number[] }> {
  let inserted = 0;
  let unchanged = 0;
  const ids: number[] = [];
  for (const article of articles) {
    const r = await tx.articles.upsert(article, now);
    if (r.inserted) inserted++;
    if (!r.changed) unchanged++;
    ids.push(r.id);
  }
  // `updated` counts every stored story this import matched; `unchanged` those of them it left as they were.
  return { inserted, updated: articles.length - inserted, unchanged, ids };
}

/** Parses, prepares and writes one source's text in one transaction. */
export async function importText(store: Store, source: string, text: string, contentType: string | null, options: ImportArticlesOptions, tools: ImportTools): Promise<SourceReport> {
  const { format, parsed } = parseSourceText(source, text, contentType, tools.resolve);
  const dateFrom = settlePage(format, parsed, source, options.page);
  const { articles, warnings } = prepareArticles(parsed, source, tools, options);
  const counts = await store.transaction((tx) => writeArticles(tx, articles, (options.now ?? new Date()).toISOString()));
  return { source, format, ...counts, warnings, untagged: articles.filter((a) => a.topics.length === 0).length, ...(dateFrom ? { dateFrom } : {}) };
}

/** Imports every source in order and reports on each; it throws only if the catalogue cannot be read. */
export async function importArticles(store: Store, sources: string[], options: ImportArticlesOptions): Promise<SourceReport[]> {
  const tools = await loadImportTools(store);
  const reports: SourceReport[] = [];
  for (const source of sources) {
    try {
      const { text, contentType } = await readSource(source, options);
      reports.push(await importText(store, source, text, contentType, options, tools));
    } catch (err) {
      // Unexpected failures are reported like input errors so earlier sources' reports survive.
      const error = isAppError(err) ? err : new AppError('INTERNAL', `${source}: ${messageOf(err)}`, { cause: err });
      reports.push({ source, format: null, inserted: 0, updated: 0, unchanged: 0, untagged: 0, warnings: [], ids: [], error });
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
  return importText(store, source, text, null, options, await loadImportTools(store));
}
