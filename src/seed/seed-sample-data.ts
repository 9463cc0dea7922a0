import { readFile } from 'node:fs/promises';
import { AppError, isAppError } from '../errors.js';
import { importArticleText } from '../ingest/import-articles.js';
import type { App } from '../main.js';
import { packagePath } from '../paths.js';
import { importSubscribers } from '../subscriptions/import-subscribers.js';
import { readSubscriberFile } from '../subscribers/subscriber-file.js';
import { DEFAULT_TOPICS } from '../topics/default-catalogue.js';

/**
 * First-run sample data: on a fresh database, load the project's own made-up articles and the
 * example subscribers, so `npm start` has a digest to send and `preview` has something to show.
 * It goes through the ordinary article and subscriber imports; nothing here writes rows itself.
 */

/** The sample articles shipped with the project (JSON import format, site-relative images). */
export const SAMPLE_ARTICLES_FILE = packagePath('samples', 'articles.json');
/** The example subscribers shipped with the project. */
export const EXAMPLE_SUBSCRIBERS_FILE = packagePath('subscribers.example.json');

/** What {@link seedSampleData} did. */
export interface SeedResult {
  /** False when the store already held articles or subscribers, and nothing was written. */
  seeded: boolean;
  articles: number;
  subscribers: number;
}

/** Options for {@link seedSampleData}; the defaults are the shipped files and the real clock. */
export interface SeedOptions {
  now?: Date;
  articlesFile?: string;
  subscribersFile?: string;
}

/** How long before `now` the newest sample story is published, so it reads as "just in". */
const NEWEST_AGE_MS = 10 * 60_000;

/**
 * Loads the sample articles and example subscribers (as active readers) into a fresh store, in
 * one transaction. It does nothing when the store already has any article or any subscriber:
 * sample data must never mix with a real newsroom's. Whether to call it (SEED_SAMPLE_DATA) is
 * the caller's decision.
 */
export async function seedSampleData(app: Pick<App, 'store' | 'config' | 'logger'>, options: SeedOptions = {}): Promise<SeedResult> {
  const { store, logger } = app;
  const now = options.now ?? new Date();
  const articlesFile = options.articlesFile ?? SAMPLE_ARTICLES_FILE;
  const subscribersFile = options.subscribersFile ?? EXAMPLE_SUBSCRIBERS_FILE;
  const notSeeded: SeedResult = { seeded: false, articles: 0, subscribers: 0 };
  if (!(await isEmpty(store))) return notSeeded;

  // Files are read before the transaction opens, so it stays short.
  const articlesText = freshenSampleArticles(await readText(articlesFile), app.config.web.publicUrl, now, articlesFile);
  const { rows } = await readSubscriberFile(subscribersFile);

  const result = await store.transaction(async (tx) => {
    // Checked again inside: another process may have filled the store since the first look.
    if (!(await isEmpty(tx))) return notSeeded;
    if ((await tx.topics.count()) === 0) await tx.topics.upsert([...DEFAULT_TOPICS], now.toISOString());
    try {
      const report = await importArticleText(tx, articlesFile, articlesText, { now });
      const people = await importSubscribers(tx, rows, { status: 'active', skipInvalid: false, now: now.toISOString(), source: subscribersFile });
      return { seeded: true, articles: report.inserted, subscribers: people.added };
    } catch (err) {
      if (!isAppError(err, 'INPUT_INVALID') && !isAppError(err, 'SUBSCRIBER_INVALID')) throw err;
      // A custom topic catalogue loaded before the first start is the likely cause.
      throw new AppError(err.code, `the sample data does not fit this store: ${err.message}`, {
        cause: err,
        details: err.details,
        hint: 'set SEED_SAMPLE_DATA=false, or import your own articles and subscribers before starting',
      });
    }
  });
  if (result.seeded) {
    logger.info('fresh database: loaded the sample articles and example subscribers (SEED_SAMPLE_DATA=false turns this off)', {
      articles: result.articles,
      subscribers: result.subscribers,
    });
  }
  return result;
}

async function isEmpty(store: App['store']): Promise<boolean> {
  const [articles, subscribers] = await Promise.all([store.articles.count(), store.subscribers.count()]);
  return articles === 0 && subscribers === 0;
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    throw new AppError('INPUT_UNREADABLE', `cannot read the sample articles at ${path}`, { cause, hint: 'the samples/ folder ships with the project; restore it, or set SEED_SAMPLE_DATA=false' });
  }
}

/**
 * Makes the shipped sample file ready for import at `now`:
 * - site-relative image URLs (`/static/…`) become absolute against PUBLIC_URL, because mail
 *   clients load images from the open web and the import accepts only absolute URLs;
 * - publish times move forward together so the newest story is ten minutes old and the spread
 *   (about half a day) stays, and the first digest reads like this morning's.
 */
export function freshenSampleArticles(text: string, publicUrl: string, now: Date, source: string): string {
  let data: { articles?: unknown };
  try {
    data = JSON.parse(text) as { articles?: unknown };
  } catch (cause) {
    throw new AppError('INPUT_INVALID', `${source}: not valid JSON`, { cause });
  }
  const items = Array.isArray(data.articles) ? (data.articles as Array<Record<string, unknown>>) : [];
  const times = items.map((a) => (typeof a.published_at === 'string' ? Date.parse(a.published_at) : NaN)).filter((t) => !Number.isNaN(t));
  const shift = times.length > 0 ? now.getTime() - NEWEST_AGE_MS - Math.max(...times) : 0;
  for (const a of items) {
    if (typeof a.published_at === 'string' && !Number.isNaN(Date.parse(a.published_at))) {
      a.published_at = new Date(Date.parse(a.published_at) + shift).toISOString();
    }
    const image = a.image as Record<string, unknown> | null | undefined;
    if (image && typeof image.url === 'string' && image.url.startsWith('/')) image.url = publicUrl + image.url;
  }
  return JSON.stringify(data);
}
