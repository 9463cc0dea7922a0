import type { Article } from '../model/article.js';
import type { EditionContent } from '../model/edition.js';
import type { Subscriber } from '../model/subscriber.js';
import type { Topic } from '../model/topic.js';
import type { ArticleRepository } from '../store/article-repository.js';
import type { DeliveryRepository } from '../store/delivery-repository.js';
import type { SubscriberRepository } from '../store/subscriber-repository.js';
import { suppressionKey, type SuppressionRepository } from '../store/suppression-repository.js';
import type { TopicRepository } from '../store/topic-repository.js';
import { editionKey } from './edition-key.js';
import { localMoment, parseClock } from './local-time.js';
import { buildSections } from './sections.js';

/** The furthest back any digest window reaches. */
const MAX_WINDOW_MS = 7 * 24 * 3_600_000;

/** The digest rules, from config. */
export interface PlanSettings {
  sendTime: string;
  defaultTimezone: string;
  lookbackHours: number;
  maxPerTopic: number;
  catchupHours: number;
}

/** What one planning pass is asked to do. */
export interface PlanRequest {
  now: Date;
  /** Ignore the send-time and catch-up rules: everyone without a row for their local today is due. */
  force?: boolean;
  /** Plan for this one address only. */
  onlyEmail?: string;
  /** Readers read per page; memory stays flat whatever the list size. */
  pageSize?: number;
}

/** The decision for one reader today. */
export interface PlannedItem {
  subscriber: Subscriber;
  localDate: string;
  status: 'planned' | 'skipped';
  /** Why skipped: 'empty' (nothing new) or 'late' (past the catch-up window). */
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
  deliveries: Pick<DeliveryRepository, 'existingFor' | 'lastSentWindowEnd' | 'oldestPlannedWindowStart' | 'sentArticles'>;
  /** Suppressed addresses (bounced, complained, added by hand) are never planned. */
  suppressions?: Pick<SuppressionRepository, 'suppressedAmong'>;
}

/**
 * Works out, page by page, which readers are due and what each one's edition holds. It writes
 * nothing: the caller records the result (send), prints it (dry run) or renders it (preview).
 *
 * Readers with the same topics, window and date share one {@link EditionContent} object, so
 * rendering later costs once per distinct edition rather than once per reader.
 */
export async function* planDigests(store: PlanStore, settings: PlanSettings, request: PlanRequest): AsyncGenerator<PlannedItem[]> {
  const now = request.now;
  const nowIso = now.toISOString();
  const sendMinutes = parseClock(settings.sendTime);
  const topics = await store.topics.list();
  const articlesByWindow = new Map<string, Promise<Article[]>>();
  const editions = new Map<string, EditionContent | null>();

  const articlesSince = (start: string) => {
    let p = articlesByWindow.get(start);
    if (!p) articlesByWindow.set(start, (p = store.articles.list({ firstSeenFrom: start, firstSeenTo: nowIso })));
    return p;
  };

  for await (const page of readerPages(store, request)) {
    const moments = page.map((s) => ({ s, at: localMoment(now, s.timezone ?? settings.defaultTimezone) }));
    const due = moments.filter(({ at }) => request.force || at.minutes >= sendMinutes);
    const existing = await store.deliveries.existingFor(due.map(({ s, at }) => ({ subscriberId: s.id, localDate: at.date })));
    const fresh = due.filter(({ s, at }) => !existing.has(`${s.id}|${at.date}`));
    if (fresh.length === 0) continue;

    const lastEnds = await store.deliveries.lastSentWindowEnd(fresh.map(({ s }) => s.id));
    const pendingStarts = await store.deliveries.oldestPlannedWindowStart(fresh.map(({ s }) => s.id));
    const lookbackStart = new Date(now.getTime() - settings.lookbackHours * 3_600_000).toISOString();
    // A reader back from a long pause gets the last week, not months of backlog in one email.
    const oldestStart = new Date(now.getTime() - MAX_WINDOW_MS).toISOString();
    const windows = fresh.map(({ s, at }) => {
      const last = pendingStarts.get(s.id) ?? lastEnds.get(s.id);
      return { s, at, start: last === undefined ? lookbackStart : last < oldestStart ? oldestStart : last };
    });

    const candidateIds = new Set<number>();
    for (const start of new Set(windows.map((w) => w.start))) for (const a of await articlesSince(start)) candidateIds.add(a.id);
    const sent = await store.deliveries.sentArticles(fresh.map(({ s }) => s.id), [...candidateIds], oldestStart);

    const items: PlannedItem[] = [];
    for (const { s, at, start } of windows) {
      const base = { subscriber: s, localDate: at.date, windowStart: start, windowEnd: nowIso };
      if (!request.force && at.minutes - sendMinutes > settings.catchupHours * 60) {
        items.push({ ...base, status: 'skipped', reason: 'late', edition: null });
        continue;
      }
      const followed = topics.filter((t) => s.topics.includes(t.slug));
      const exclude = sent.get(s.id);
      const edition = await editionFor(at.date, start, followed, exclude);
      items.push(edition ? { ...base, status: 'planned', reason: null, edition } : { ...base, status: 'skipped', reason: 'empty', edition: null });
    }
    yield items;
  }

  async function editionFor(localDate: string, start: string, followed: Topic[], exclude: Set<number> | undefined): Promise<EditionContent | null> {
    // Readers who were already sent some candidate articles get their own computation; everyone
    // else with the same date, window and topics shares the memoised edition.
    const memoKey = exclude ? undefined : `${localDate}|${start}|${followed.map((t) => t.slug).join(',')}`;
    if (memoKey !== undefined && editions.has(memoKey)) return editions.get(memoKey)!;
    const sections = buildSections(await articlesSince(start), followed, settings.maxPerTopic, exclude);
    const edition = sections.length > 0 ? { key: editionKey(localDate, sections), localDate, sections } : null;
    if (memoKey !== undefined) editions.set(memoKey, edition);
    return edition;
  }
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
