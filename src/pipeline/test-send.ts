import { digestAddressing, digestTransmission, type DigestAddressing, type DigestListSettings } from '../deliver/digest-message.js';
import { newMessageId } from '../deliver/headers.js';
import type { Mailer } from '../deliver/mailer.js';
import { classifySmtpError } from '../deliver/smtp-failure.js';
import { AppError } from '../errors.js';
import type { MessageParts, PersonalValues } from '../model/edition.js';
import { WEEKDAYS, type Subscriber } from '../model/subscriber.js';
import { weekdayOf } from '../plan/cadence.js';
import { localMoment } from '../plan/local-time.js';
import { planDigests, type PlanSettings, type PlanStore } from '../plan/planner.js';
import type { EditionRenderer } from '../render/edition-renderer.js';
import { TOO_LARGE } from '../render/size-budget.js';
import type { LinkBuilder } from '../security/subscriber-links.js';
import type { SuppressionRepository } from '../store/suppression-repository.js';
import { checkEmailAddress } from '../subscribers/email-address.js';

/**
 * "Send a test": the digest a topic set would get right now, planned, rendered, encoded and sent
 * by the same code as a real send, to any address, marked as a test. It only reads the store: no
 * ledger row, no edition saved, no effect on any reader's next window, whoever owns the address.
 */

/** The header every test digest carries, so filters and tests can tell it from a real one. */
export const TEST_HEADER = 'X-Topic-Digest-Test';
/** What a test's subject starts with. */
export const TEST_SUBJECT_PREFIX = '[Test] ';

/** The frequencies a test may pretend to be (weekdays reads like daily). */
export const TEST_FREQUENCIES = ['daily', 'weekly'] as const;

/** What a test send needs: the composition root's own parts, so a test is what a reader gets. */
export interface TestSendDeps {
  store: Pick<PlanStore, 'topics' | 'articles'> & { subscribers: PlanStore['subscribers']; suppressions: Pick<SuppressionRepository, 'suppressedAmong'> };
  settings: PlanSettings & DigestListSettings & { fromAddress: string };
  renderer: EditionRenderer;
  compilePersonaliser: (parts: MessageParts) => (values: PersonalValues) => MessageParts;
  links: LinkBuilder;
  mailer: Mailer;
  /** PUBLIC_URL, for the test's inert personal links. */
  publicUrl: string;
  /** The shared send-rate gate (SMTP_RATE_PER_SECOND): a test takes its turn like any digest. */
  waitForSendSlot?: () => Promise<void>;
}

/** What to send. */
export interface TestSendRequest {
  to: string;
  topics: readonly string[];
  frequency?: (typeof TEST_FREQUENCIES)[number];
  now?: Date;
}

/** What happened: sent (with what), or why nothing was sent. */
export type TestSendOutcome =
  | { sent: true; to: string; subject: string; messageId: string; /** What the mailer said: the SMTP reply, or the outbox file written. */ response: string; sections: { topic: string; articles: number }[]; articles: number; windowStart: string; subscriberName: string | null; isSubscriber: boolean }
  | { sent: false; to: string; reason: string };

/** The token a test's unsubscribe and preferences links carry: no signature, so it matches no one. */
export const TEST_LINK_TOKEN = 'test-digest-link';

/** Plans, renders and sends one test digest; throws AppError for bad input and SMTP failures. */
export async function sendTestDigest(deps: TestSendDeps, request: TestSendRequest): Promise<TestSendOutcome> {
  const checked = checkEmailAddress(request.to);
  if (!checked.ok) throw new AppError('INPUT_INVALID', checked.reason, { hint: 'give one address, e.g. editor@example.com' });
  const to = checked.email;
  const topics = await chosenTopics(deps, request.topics);
  if ((await deps.store.suppressions.suppressedAmong([to])).size > 0) {
    return { sent: false, to, reason: `${to} is on the suppression list (it bounced or complained); nothing was sent to protect the sending reputation` };
  }
  const now = request.now ?? new Date();
  const reader = testReader(to, topics, request.frequency ?? 'daily', deps.settings.defaultTimezone, now);
  const owner = await deps.store.subscribers.findByEmail(to);

  let item;
  for await (const page of planDigests(testPlanStore(deps, reader), deps.settings, { now, force: true, onlyEmail: to })) item = page[0] ?? item;
  if (!item?.edition) {
    const why = item?.reason === 'empty' || !item ? 'there are no stories on those topics' : `there are too few stories on those topics (DIGEST_MIN_STORIES is ${deps.settings.minStories}), so readers would get no digest today`;
    return { sent: false, to, reason: `${why} since ${item?.windowStart ?? 'the lookback window began'}; nothing was sent` };
  }
  const rendered = await deps.renderer.render(item.edition);
  if (rendered.articleIds.length === 0) return { sent: false, to, reason: `${TOO_LARGE}; nothing was sent` };

  const parts = { ...rendered, subject: TEST_SUBJECT_PREFIX + rendered.subject };
  const messageId = newMessageId(deps.settings.fromAddress);
  const addressing = testAddressing(digestAddressing(reader, rendered.key, deps.links, deps.settings, 'test'), deps.publicUrl);
  const edition = { personalise: deps.compilePersonaliser(parts), ...(deps.mailer.encoded ? { encoded: deps.mailer.encoded.encodeEdition(parts) } : {}) };
  await deps.waitForSendSlot?.();
  let receipt;
  try {
    receipt = await (await digestTransmission(deps.mailer, edition, addressing, messageId, undefined))();
  } catch (err) {
    throw classifySmtpError(err);
  }
  const kept = new Set(rendered.articleIds);
  const sections = item.edition.sections.map((s) => ({ topic: s.topic.name, articles: s.articles.filter((a) => kept.has(a.id)).length })).filter((s) => s.articles > 0);
  return { sent: true, to, subject: parts.subject, messageId, response: receipt.response, sections, articles: kept.size, windowStart: item.windowStart, subscriberName: owner?.name ?? null, isSubscriber: owner !== undefined };
}

/** The slugs asked for, checked against the catalogue, in catalogue order. */
async function chosenTopics(deps: TestSendDeps, asked: readonly string[]): Promise<string[]> {
  const slugs = [...new Set(asked.map((t) => t.trim()).filter((t) => t !== ''))];
  if (slugs.length === 0) throw new AppError('INPUT_INVALID', 'no topics chosen', { hint: 'pick at least one topic' });
  const catalogue = await deps.store.topics.list();
  const unknown = slugs.filter((s) => !catalogue.some((t) => t.slug === s));
  if (unknown.length > 0) throw new AppError('TOPIC_UNKNOWN', `unknown topic(s): ${unknown.join(', ')}`, { hint: 'see `topic-digest topics list`' });
  return catalogue.filter((t) => slugs.includes(t.slug)).map((t) => t.slug);
}

/**
 * A reader who exists only for this test: a first-time reader of the chosen topics, due today in
 * DIGEST_TIMEZONE, whose tokens are signed with a throwaway key and so open nothing.
 */
function testReader(email: string, topics: string[], frequency: 'daily' | 'weekly', zone: string, now: Date): Subscriber {
  const today = localMoment(now, zone).date;
  return {
    id: 0,
    publicId: 'test',
    email,
    name: null,
    status: 'active',
    timezone: zone,
    topics,
    signingKey: 'test',
    hardBounces: 0,
    paused: false,
    createdAt: now.toISOString(),
    confirmedAt: now.toISOString(),
    unsubscribedAt: null,
    frequency,
    // A weekly test is due today whatever the day: the test asks for "what would go out now".
    weekday: frequency === 'weekly' ? WEEKDAYS[weekdayOf(today)]! : null,
    sendTime: null,
  };
}

/**
 * The planner's view for the test reader: the real catalogue and articles, and an empty history,
 * so the planner applies the first-digest window and the section rules without reading or
 * touching any real reader's ledger.
 */
function testPlanStore(deps: TestSendDeps, reader: Subscriber): PlanStore {
  const none = async () => new Map<number, never>();
  return {
    topics: deps.store.topics,
    articles: deps.store.articles,
    subscribers: { pageActive: async () => [], findByEmail: async () => reader },
    plans: { existingFor: async () => new Set<string>(), lastSentWindowEnd: none, oldestPlannedWindowStart: none, carriedOverWindowStart: none, sentArticles: none },
  };
}

/**
 * A real addressing with its personal links swapped for inert ones: a reader's unsubscribe link
 * in a test must never unsubscribe them. The mailto fallback is dropped for the same reason (a
 * reply there would be taken as the reader's request), and the test header is added.
 */
function testAddressing(a: DigestAddressing, publicUrl: string): DigestAddressing {
  const unsubscribeUrl = `${publicUrl}/unsubscribe/${TEST_LINK_TOKEN}`;
  const preferencesUrl = `${publicUrl}/preferences/${TEST_LINK_TOKEN}`;
  const { unsubscribeMailto: _dropped, ...list } = a.list;
  return {
    ...a,
    values: { ...a.values, unsubscribeUrl, preferencesUrl, viewOnlineUrl: a.list.archiveUrl ?? a.values.viewOnlineUrl },
    list: { ...list, unsubscribeUrl },
    headers: { ...a.headers, [TEST_HEADER]: '1' },
  };
}
