import type { Article } from '../model/article.js';
import type { EditionContent } from '../model/edition.js';
import type { Frequency, Subscriber } from '../model/subscriber.js';
import type { Topic } from '../model/topic.js';
import type { ArticleRepository } from '../store/article-repository.js';
import type { DeliveryPlans } from '../store/delivery-plans.js';
import type { SubscriberRepository } from '../store/subscriber-repository.js';
import { suppressionKey, type SuppressionRepository } from '../store/suppression-repository.js';
import type { TopicRepository } from '../store/topic-repository.js';
import { editionLabel, firstWindowMs, isEditionDay, maxWindowMs } from './cadence.js';
import { editionKey } from './edition-key.js';
import { localMoment, parseClock, type LocalMoment } from './local-time.js';
import { buildSections, byPriority } from './sections.js';

/** A reader due now, with their local moment and send time in minutes. */
interface Due {
  s: Subscriber;
  at: LocalMoment;
  sendMinutes: number;
}

/** The skip reason for an edition under DIGEST_MIN_STORIES; its stories carry over. */
const TOO_FEW = 'too few stories';

/** The digest rules, from config. */
export interface PlanSettings {
  sendTime: string;
  defaultTimezone: string;
  lookbackHours: number;
  maxPerTopic: number;
  catchupHours: number;
  /** Cap per topic in a weekly edition. */
  maxPerTopicWeekly: number;
  /** Fewer stories than this: the edition is skipped and its stories carry over. */
  minStories: number;
}

/** What one planning pass is asked to do. */
export interface PlanRequest {
  now: Date;
  /**
   * Ignore the send-time and catch-up rules: everyone without a row for their local today is due,
   * and a day skipped as late is planned after all (if today is one of their edition days: a
   * forced run never gives a weekly reader a second week).
   */
  force?: boolean;
  /** Plan for this one address only. */
  onlyEmail?: string;
  /** Readers read per page; memory stays flat whatever the list size. */
  pageSize?: number;
  /** Distinct editions kept for sharing across pages (default 2,048); see {@link planDigests}. */
  memoLimit?: number;
}

/** The decision for one reader today. */
export interface PlannedItem {
  subscriber: Subscriber;
  localDate: string;
  status: 'planned' | 'skipped';
  /** Why skipped: 'empty' (nothing new), 'too few stories' (under DIGEST_MIN_STORIES) or 'late' (past the catch-up window). */
  reason: string | null;
  edition: EditionContent | null;
  windowStart: string;
  windowEnd: string;
}

/** The read-only store parts planning needs. */
export interface PlanStore {
  topics: Pick<TopicRepository, 'list'>;
  articles: Pick<ArticleRepository, 'list'>;
  subscribers: Pick<SubscriberRepository, 'pageActive' | 'findByEmail'>;
  plans: Pick<DeliveryPlans, 'existingFor' | 'lastSentWindowEnd' | 'oldestPlannedWindowStart' | 'carriedOverWindowStart' | 'sentArticles'>;
  /** Suppressed addresses (bounced, complained, added by hand) are never planned. */
  suppressions?: Pick<SuppressionRepository, 'suppressedAmong'>;
}

/**
 * Works out, page by page, which readers are due and what each one's edition holds. It writes
 * nothing: the caller records the result (send), prints it (dry run) or renders it (preview).
 *
 * Readers with the same topics, window and date share one {@link EditionContent} object, so
 * rendering later costs once per distinct edition rather than once per reader. Only the most
 * recent `memoLimit` of them are kept: a million readers make 30,000 editions, tens of MB held
 * for the whole run. One dropped and needed again is rebuilt with the same key, so it is still
 * rendered and stored once (callers go by the key).
 */
export async function* planDigests(store: PlanStore, settings: PlanSettings, request: PlanRequest): AsyncGenerator<PlannedItem[]> {
  const now = request.now;
  const nowIso = now.toISOString();
  const topics = await store.topics.list();
  const articlesByWindow = new Map<string, Promise<Article[]>>();
  const editions = new Map<string, EditionContent | null>();
  const memoLimit = request.memoLimit ?? 2048;

  const articlesSince = (start: string) => {
    let p = articlesByWindow.get(start);
    if (!p) articlesByWindow.set(start, (p = store.articles.list({ firstSeenFrom: start, firstSeenTo: nowIso })));
    return p;
  };
  const before = (ms: number) => new Date(now.getTime() - ms).toISOString();
  // Every reader is planned at the same moment: one Intl call per time zone, not per reader.
  const moments = new Map<string, LocalMoment>();
  const nowIn = (zone: string) => {
    let m = moments.get(zone);
    if (!m) moments.set(zone, (m = localMoment(now, zone)));
    return m;
  };

  for await (const page of readerPages(store, request)) {
    const fresh = await dueWithoutRow(page);
    if (fresh.length === 0) continue;
    const windows = await windowsFor(fresh);
    const candidateIds = new Set<number>();
    for (const start of new Set(windows.map((w) => w.start))) for (const a of await articlesSince(start)) candidateIds.add(a.id);
    const sent = await store.plans.sentArticles(windows.map((w) => w.s.id), [...candidateIds], before(Math.max(...windows.map((w) => maxWindowMs(w.s.frequency)))));
    const items: PlannedItem[] = [];
    for (const w of windows) items.push(await decide(w, sent.get(w.s.id)));
    yield items;
  }

  /** Readers for whom today is an edition day, whose own send time has passed, and who have no row for today yet. */
  async function dueWithoutRow(page: Subscriber[]): Promise<Due[]> {
    const due = page.map((s) => ({ s, at: nowIn(s.timezone ?? settings.defaultTimezone), sendMinutes: parseClock(s.sendTime ?? settings.sendTime) }));
    const today = due.filter(({ s, at, sendMinutes }) => isEditionDay(s, at.date) && (request.force || at.minutes >= sendMinutes));
    // A forced (explicit) send reaches everyone, including readers a tick skipped as late today.
    const existing = await store.plans.existingFor(
      today.map(({ s, at }) => ({ subscriberId: s.id, localDate: at.date })),
      { reopenLate: Boolean(request.force) },
    );
    return today.filter(({ s, at }) => !existing.has(`${s.id}|${at.date}`));
  }

  /**
   * A window runs from the reader's last delivered edition, or further back to take over a
   * superseded unsent one or an edition skipped as too small; never further than maxWindowMs.
   */
  async function windowsFor(fresh: Due[]): Promise<Array<Due & { start: string }>> {
    const ids = fresh.map(({ s }) => s.id);
    const lastEnds = await store.plans.lastSentWindowEnd(ids);
    const pendingStarts = await store.plans.oldestPlannedWindowStart(ids);
    const carried = await store.plans.carriedOverWindowStart(ids, TOO_FEW);
    return fresh.map((f) => {
      const last = earliest(pendingStarts.get(f.s.id), carried.get(f.s.id)) ?? lastEnds.get(f.s.id);
      const oldest = before(maxWindowMs(f.s.frequency));
      return { ...f, start: last === undefined ? before(firstWindowMs(f.s.frequency, settings.lookbackHours)) : last < oldest ? oldest : last };
    });
  }

  /** One reader's decision: late, too small, empty, or their edition. */
  async function decide({ s, at, sendMinutes, start }: Due & { start: string }, exclude: Set<number> | undefined): Promise<PlannedItem> {
    const base = { subscriber: s, localDate: at.date, windowStart: start, windowEnd: nowIso };
    if (!request.force && at.minutes - sendMinutes > settings.catchupHours * 60) return { ...base, status: 'skipped', reason: 'late', edition: null };
    const followed = topics.filter((t) => s.topics.includes(t.slug));
    const edition = await editionFor(at.date, start, followed, exclude, s.frequency);
    const stories = edition?.sections.reduce((n, sec) => n + sec.articles.length, 0) ?? 0;
    if (edition && stories >= settings.minStories) return { ...base, status: 'planned', reason: null, edition };
    return { ...base, status: 'skipped', reason: stories === 0 ? 'empty' : TOO_FEW, edition: null };
  }

  async function editionFor(localDate: string, start: string, followed: Topic[], exclude: Set<number> | undefined, frequency: Frequency): Promise<EditionContent | null> {
    // Readers who were already sent some candidate articles get their own computation; everyone
    // else with the same date, window, frequency and topics shares the memoised edition.
    const memoKey = exclude ? undefined : `${localDate}|${start}|${frequency}|${followed.map((t) => t.slug).join(',')}`;
    if (memoKey !== undefined && editions.has(memoKey)) return editions.get(memoKey)!;
    const weekly = frequency === 'weekly';
    const articles = await articlesSince(start);
    const sections = buildSections(weekly ? byPriority(articles) : articles, followed, weekly ? settings.maxPerTopicWeekly : settings.maxPerTopic, exclude);
    const label = editionLabel(frequency, localDate);
    const edition = sections.length > 0 ? { key: editionKey(localDate, sections, label), localDate, sections, label } : null;
    if (memoKey !== undefined) {
      if (editions.size >= memoLimit) editions.delete(editions.keys().next().value!);
      editions.set(memoKey, edition);
    }
    return edition;
  }
}

function earliest(a: string | undefined, b: string | undefined): string | undefined {
  return a === undefined ? b : b === undefined || a < b ? a : b;
}

async function* readerPages(store: PlanStore, request: PlanRequest): AsyncGenerator<Subscriber[]> {
  if (request.onlyEmail) {
    const s = await store.subscribers.findByEmail(request.onlyEmail);
    if (s && s.status === 'active' && !s.paused) yield await withoutSuppressed(store, [s]);
    return;
  }
  const size = request.pageSize ?? 1000;
  let after = 0;
  for (;;) {
    const page = await store.subscribers.pageActive(after, size);
    if (page.length === 0) return;
    yield await withoutSuppressed(store, page);
    after = page[page.length - 1]!.id;
    if (page.length < size) return;
  }
}

/** Drops suppressed readers from a page (the page may end up empty; paging goes on by id). */
async function withoutSuppressed(store: PlanStore, page: Subscriber[]): Promise<Subscriber[]> {
  if (!store.suppressions) return page;
  const suppressed = await store.suppressions.suppressedAmong(page.map((s) => s.email));
  return suppressed.size === 0 ? page : page.filter((s) => !suppressed.has(suppressionKey(s.email)));
}
