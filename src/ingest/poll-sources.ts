import { AppError, isAppError, messageOf } from '../errors.js';
import type { Source } from '../store/source-repository.js';
import type { Store } from '../store/store.js';
import { decodeText } from './decode-text.js';
import { fetchFeed, FetchFailure, type FetchLimits } from './fetch-source.js';
import { loadImportTools, parseSourceText, prepareArticles, writeArticles, type ImportTools } from './import-articles.js';

/**
 * Polls stored sources politely: conditional GETs, server hints (Retry-After, max-age) honoured,
 * exponential backoff on failure. Each source is fetched outside any transaction and written in
 * one of its own, so a slow or broken source never holds the store or blocks the others, and its
 * error is kept on the source row where `sources list` shows it.
 */

/** No source is left alone longer than this after failures (the backoff ceiling). */
export const MAX_BACKOFF_MS = 6 * 3_600_000;
/** A server's Retry-After or max-age is honoured up to this; a larger one is a misconfiguration. */
export const MAX_SERVER_HINT_MS = 24 * 3_600_000;

/** Options for {@link pollSources}. */
export interface PollOptions extends FetchLimits {
  /** Poll every source, due or not (`sources poll --all`). */
  all?: boolean;
  /** Poll just this source, due or not (the console's "Poll now"). */
  onlyId?: number;
  /** Site-relative image URLs resolve against this (PUBLIC_URL). */
  publicUrl?: string;
  /** The clock; tests pass their own. */
  now?: () => Date;
  /** Stops before the next source once aborted (shutdown, or a lost poller lock). */
  signal?: AbortSignal;
}

/** What one poll of one source did. */
export interface PollReport {
  id: number;
  url: string;
  /** An HTTP status ('200', '304', '500') or 'error'. */
  status: string;
  items: number;
  inserted: number;
  /** Stories whose content changed (an identical re-seen item writes nothing and is not counted). */
  updated: number;
  warnings: string[];
  error: string | null;
  nextDueAt: string;
}

/** When a source is next due, from how this poll went. Pure, so the policy is testable alone. */
export function nextPollDelayMs(everySeconds: number, outcome: { failures: number; retryAfterMs?: number | null; maxAgeMs?: number | null }): number {
  const every = everySeconds * 1000;
  const hint = Math.min(Math.max(outcome.retryAfterMs ?? 0, outcome.maxAgeMs ?? 0), MAX_SERVER_HINT_MS);
  const base = outcome.failures === 0 ? every : Math.min(every * 2 ** outcome.failures, Math.max(MAX_BACKOFF_MS, every));
  return Math.max(base, hint);
}

async function pollOne(store: Store, source: Source, tools: ImportTools, options: PollOptions): Promise<PollReport> {
  const clock = options.now ?? (() => new Date());
  const started = clock();
  const due = (ms: number) => new Date(clock().getTime() + ms).toISOString();
  const base = { id: source.id, url: source.url, items: 0, inserted: 0, updated: 0, warnings: [] as string[], error: null };
  try {
    const res = await fetchFeed(source.url, { etag: source.etag, lastModified: source.lastModified }, options);
    const next = due(nextPollDelayMs(source.everySeconds, { failures: 0, maxAgeMs: res.maxAgeMs }));
    if (res.notModified) {
      // Nothing to parse and no article written: only the schedule moves on.
      await store.sources.recordPoll(source.id, { fetchedAt: started.toISOString(), status: '304', error: null, nextDueAt: next, failures: 0 });
      return { ...base, status: '304', nextDueAt: next };
    }
    const text = decodeText(res.bytes, res.contentType, source.url);
    const { parsed } = parseSourceText(source.url, text, res.contentType, tools.resolve, true);
    const { articles, warnings } = prepareArticles(parsed, source.url, tools, { extraTopics: source.topics, ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}) });
    const status = String(res.status);
    const counts = await store.transaction(async (tx) => {
      const written = await writeArticles(tx, articles, clock().toISOString());
      await tx.sources.recordPoll(source.id, { fetchedAt: started.toISOString(), status, error: null, nextDueAt: next, failures: 0, etag: res.etag, lastModified: res.lastModified, itemsSeen: parsed.length });
      return written;
    });
    return { ...base, status, items: parsed.length, inserted: counts.inserted, updated: counts.updated - counts.unchanged, warnings, nextDueAt: next };
  } catch (err) {
    const failures = source.failures + 1;
    const retryAfterMs = err instanceof FetchFailure ? err.retryAfterMs : null;
    const status = err instanceof FetchFailure && err.status !== null ? String(err.status) : 'error';
    // Keep the first detail (which item, which field) with the message: it is all `sources list` shows.
    const message = isAppError(err) ? `${err.message}${err.details[0] ? ` (${err.details[0]})` : ''}` : messageOf(err);
    const next = due(nextPollDelayMs(source.everySeconds, { failures, retryAfterMs }));
    await store.sources.recordPoll(source.id, { fetchedAt: started.toISOString(), status, error: message, nextDueAt: next, failures });
    return { ...base, status, error: message, nextDueAt: next };
  }
}

/** Polls the due sources (or all), one after another, and reports on each. Never throws for one source. */
export async function pollSources(store: Store, options: PollOptions = {}): Promise<PollReport[]> {
  const now = (options.now ?? (() => new Date()))().toISOString();
  const sources =
    options.onlyId !== undefined
      ? (await store.sources.list()).filter((s) => s.id === options.onlyId)
      : options.all
        ? await store.sources.list()
        : await store.sources.due(now);
  if (sources.length === 0) return [];
  const tools = await loadImportTools(store);
  const reports: PollReport[] = [];
  for (const source of sources) {
    if (options.signal?.aborted) break;
    reports.push(await pollOne(store, source, tools, options));
  }
  return reports;
}

/** Checks a source URL before it is stored. */
export function checkSourceUrl(url: string): string {
  if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) {
    throw new AppError('USAGE', `"${url}" is not an http(s) URL`, { hint: 'give the feed or page address, e.g. https://example.com/feed.xml' });
  }
  return new URL(url).href;
}
