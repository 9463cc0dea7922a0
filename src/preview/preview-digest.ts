import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { digestAddressing, digestMessage, type DigestAddressing, type DigestListSettings } from '../deliver/digest-message.js';
import type { OutgoingMessage } from '../deliver/mailer.js';
import { TOO_LARGE } from '../render/size-budget.js';
import type { RawMessage } from '../deliver/nodemailer-mailer.js';
import { AppError } from '../errors.js';
import type { MessageParts, PersonalValues } from '../model/edition.js';
import type { Subscriber } from '../model/subscriber.js';
import { isEditionDay } from '../plan/cadence.js';
import { localMoment } from '../plan/local-time.js';
import { planDigests, type PlannedItem, type PlanSettings, type PlanStore } from '../plan/planner.js';
import type { EditionRenderer } from '../render/edition-renderer.js';
import type { LinkBuilder } from '../security/subscriber-links.js';
import type { DeliveryQueries, DeliveryRow } from '../store/delivery-queries.js';
import { sendMomentOn } from './send-moment.js';

/**
 * `preview`: the digest a reader would get, built by the same planner, renderer, personaliser
 * and message builder as a send, then written to files instead of the ledger and SMTP. The
 * store is only read, so a preview can never count as a delivery.
 */

/** What a preview reads and uses; the composition root's own instances, so nothing differs from a send. */
export interface PreviewDeps {
  store: PlanStore & { deliveries: Pick<DeliveryQueries, 'list'> };
  settings: PlanSettings & DigestListSettings;
  renderer: EditionRenderer;
  compilePersonaliser: (parts: MessageParts) => (values: PersonalValues) => MessageParts;
  links: LinkBuilder;
  /** Builds the raw .eml (headers, parts, DKIM) exactly as the transport would send it. */
  buildMessage: (message: OutgoingMessage) => Promise<RawMessage>;
  /** When the mailer sends digests as spliced bytes: those bytes, so the .eml is what a send carries. */
  encodeDigest?: (rendered: MessageParts, addressing: DigestAddressing) => Buffer;
}

/** What to preview. */
export interface PreviewRequest {
  /** One reader; without it, the first active reader of each distinct topic set. */
  email?: string;
  /** YYYY-MM-DD: plan as of DIGEST_SEND_TIME on that date in the reader's zone. Without it: `now`. */
  date?: string;
  /** The folder the files go to; created when missing. */
  outDir: string;
  /** The clock, when no date is given. */
  now?: Date;
}

/** One reader's preview: the files written, or why there is no digest. */
export interface PreviewOutcome {
  email: string;
  topics: string[];
  localDate: string;
  /** The instant planning pretended it was. */
  asOf: string;
  /** Null when there is nothing to send; `reason` says why. */
  digest: {
    subject: string;
    sections: { topic: string; articles: number }[];
    articles: number;
    files: { html: string; text: string; eml: string };
  } | null;
  reason: string | null;
}

/** Writes one preview per reader asked for and reports on each. */
export async function previewDigests(deps: PreviewDeps, request: PreviewRequest): Promise<PreviewOutcome[]> {
  const outcomes: PreviewOutcome[] = [];
  for (const reader of await readersFor(deps.store, request.email)) outcomes.push(await previewOne(deps, reader, request));
  return outcomes;
}

async function readersFor(store: PlanStore, email: string | undefined): Promise<Subscriber[]> {
  if (email !== undefined) {
    const found = await store.subscribers.findByEmail(email);
    if (!found) throw new AppError('SUBSCRIBER_NOT_FOUND', `no subscriber ${email}`, { hint: 'see `topic-digest subscribers list`' });
    return [found];
  }
  // Readers with the same topics get the same edition (window permitting), so one each is enough.
  const bySet = new Map<string, Subscriber>();
  const size = 1000;
  for (let after = 0; ; ) {
    const page = await store.subscribers.pageActive(after, size);
    for (const s of page) {
      const set = [...s.topics].sort().join(',');
      if (!bySet.has(set)) bySet.set(set, s);
    }
    if (page.length < size) break;
    after = page[page.length - 1]!.id;
  }
  return [...bySet.values()];
}

async function previewOne(deps: PreviewDeps, reader: Subscriber, request: PreviewRequest): Promise<PreviewOutcome> {
  const zone = reader.timezone ?? deps.settings.defaultTimezone;
  const asOf = request.date ? sendMomentOn(request.date, reader.sendTime ?? deps.settings.sendTime, zone) : (request.now ?? new Date());
  const base = { email: reader.email, topics: reader.topics, localDate: localMoment(asOf, zone).date, asOf: asOf.toISOString() };
  const none = (reason: string): PreviewOutcome => ({ ...base, digest: null, reason });

  if (reader.status !== 'active' || reader.paused) return none(`${reader.email} is ${reader.paused ? 'paused' : reader.status}; only active readers get a digest`);
  const [row] = await deps.store.deliveries.list({ email: reader.email, localDate: base.localDate, limit: 1 });
  if (row) return none(ledgerState(row, reader.email));
  // force: the send-time rule is what --date already fixed; everything else is the send's own plan.
  let item: PlannedItem | undefined;
  for await (const page of planDigests(deps.store, deps.settings, { now: asOf, force: true, onlyEmail: reader.email })) item = page[0] ?? item;
  if (!item && !isEditionDay(reader, base.localDate)) return none(`${base.localDate} is not one of ${reader.email}'s edition days (${reader.frequency}${reader.weekday ? ` on ${reader.weekday}` : ''}); try --date on one`);
  if (!item) return none(`no digest is due for ${base.localDate}`);
  if (!item.edition) return none(`nothing new on their topics between ${item.windowStart} and ${item.windowEnd}`);

  const rendered = await deps.renderer.render(item.edition);
  if (rendered.articleIds.length === 0) return none(TOO_LARGE);
  const message = digestMessage(reader, { key: rendered.key, personalise: deps.compilePersonaliser(rendered) }, deps.links, deps.settings, 'preview');
  const raw = deps.encodeDigest
    ? deps.encodeDigest(rendered, digestAddressing(reader, rendered.key, deps.links, deps.settings, 'preview'))
    : (await deps.buildMessage(message)).raw;

  await mkdir(request.outDir, { recursive: true });
  const stem = join(request.outDir, `${reader.email.replace(/[^a-zA-Z0-9@._+-]/g, '_')}-${base.localDate}`);
  const files = { html: `${stem}.html`, text: `${stem}.txt`, eml: `${stem}.eml` };
  await Promise.all([writeFile(files.html, message.html), writeFile(files.text, message.text), writeFile(files.eml, raw)]);

  // Counted from what survived the size budget, which is what the reader would actually see.
  const kept = new Set(rendered.articleIds);
  const sections = item.edition.sections
    .map((s) => ({ topic: s.topic.name, articles: s.articles.filter((a) => kept.has(a.id)).length }))
    .filter((s) => s.articles > 0);
  return { ...base, digest: { subject: message.subject, sections, articles: kept.size, files }, reason: null };
}

/** What the ledger already holds for that day, as a reader's preview line says it. */
function ledgerState(row: DeliveryRow, email: string): string {
  if (row.status === 'skipped' && row.reason === 'late') return `skipped (late): ${row.localDate} was past DIGEST_CATCHUP_HOURS when the scheduler looked; \`topic-digest send --only ${email}\` sends it anyway`;
  if (row.status === 'skipped') return `skipped (${row.reason === 'empty' ? 'nothing new' : (row.reason ?? 'no reason')}) for ${row.localDate}`;
  if (row.status === 'sent') return `already sent for ${row.localDate}`;
  return `${row.status} for ${row.localDate}; see \`topic-digest deliveries list\``;
}
