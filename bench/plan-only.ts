import type { App } from '../src/main.js';
import { newMessageId } from '../src/deliver/headers.js';
import { messageBytes, type EncodedEdition } from '../src/deliver/mime/encoded-edition.js';
import type { EditionContent, MessageParts } from '../src/model/edition.js';
import { EditionCache } from '../src/deliver/edition-cache.js';
import { planDigests } from '../src/plan/planner.js';
import { peakRssMb } from './machine.js';

/** What {@link measurePlanOnly} found. */
export interface PlanOnlyResult {
  subscribers: number;
  planned: number;
  skipped: number;
  renders: number;
  distinctEditions: number;
  personalised: number;
  /** Stored editions read back and encoded by the splice stage: one per edition in claim order. */
  editionLoads: number;
  ms: number;
  stages: { plan: number; render: number; personalise: number };
  peakRssMb: number;
  /** Largest V8 heap in use seen between pages: live objects plus garbage not yet collected. */
  peakHeapUsedMb: number;
  /** Largest of each part of `process.memoryUsage()` seen between pages (MB): where the RSS went. */
  peakMemoryMb: { rss: number; heapTotal: number; external: number; arrayBuffers: number };
  /** Peak RSS sampled at the start of the measurement (seeding included): the floor it started from. */
  peakRssBeforeMb: number;
}

/** Encoded editions kept at once, as the send loop keeps them (src/deliver/edition-cache.ts). */
const CACHE_SIZE = 64;
/** Readers per claim, as the send loop claims them (src/deliver/send-run.ts). */
const CLAIM_BATCH = 100;
/** Editions sent to the render worker and not yet stored: enough to keep it busy, few enough to hold. */
const RENDERS_IN_FLIGHT = 64;

/** A growable array of unsigned 32-bit ints: a million readers' ids cost 4 MB, not objects. */
class U32List {
  data = new Uint32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Uint32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
}

/**
 * Plans, renders and personalises one edition for every reader without SMTP and without writing
 * the ledger. It walks `planDigests` page by page, renders each distinct edition once with the
 * app's renderer (a bounded worker thread) and stores it, as a digest run does: renders go to the
 * worker as planning meets new editions, and the main thread plans on while the worker renders. Then it splices every reader's links and values into the encoded message and throws
 * it away, visiting readers as the send loop gets them: edition by edition, then by id (the
 * ledger's claim order), in claim-sized batches whose readers are read by primary key with the
 * ledger's own lookup, through a 64-edition cache that reads a stored edition back on a miss.
 * Visiting them in id order instead missed that cache on nearly every reader once editions
 * outnumbered it (432 s of a 677 s 1M run), which production never does.
 */
export async function measurePlanOnly(app: App, now: Date): Promise<PlanOnlyResult> {
  const { config, store, renderer } = app;
  const rendersBefore = renderer.renderCount;
  const settings = { ...config.digest, defaultTimezone: config.digest.timezone };
  const editionIndex = new Map<string, number>();
  const editionKeys: string[] = [];
  const readerIds = new U32List();
  const readerEditions = new U32List();
  const result: PlanOnlyResult = {
    subscribers: 0, planned: 0, skipped: 0, renders: 0, distinctEditions: 0, personalised: 0, editionLoads: 0, ms: 0,
    stages: { plan: 0, render: 0, personalise: 0 }, peakRssMb: 0, peakHeapUsedMb: 0, peakMemoryMb: { rss: 0, heapTotal: 0, external: 0, arrayBuffers: 0 }, peakRssBeforeMb: peakRssMb(),
  };
  let heapPeak = 0;
  const sample = () => {
    const mem = process.memoryUsage();
    heapPeak = Math.max(heapPeak, mem.heapUsed);
    for (const k of ['rss', 'heapTotal', 'external', 'arrayBuffers'] as const) result.peakMemoryMb[k] = Math.max(result.peakMemoryMb[k], Math.round(mem[k] / 1024 / 1024));
  };
  const started = performance.now();
  let mark = started;
  const lap = (stage: keyof PlanOnlyResult['stages']) => {
    const t = performance.now();
    result.stages[stage] += t - mark;
    mark = t;
  };

  // Renders run in the worker while the main thread plans on: each new edition is sent to the
  // renderer at once and stored when it comes back, with at most RENDERS_IN_FLIGHT outstanding.
  const inFlight = new Set<Promise<void>>();
  const renderAndStore = (edition: EditionContent, localDate: string) => {
    const job: Promise<void> = renderer
      .render(edition)
      .then((r) => store.editions.saveIfAbsent({ ...r, localDate, topics: edition.sections.map((s) => s.topic.slug) }, new Date().toISOString()))
      .then(() => void inFlight.delete(job));
    job.catch(() => undefined); // reported by the Promise.all that ends planning
    inFlight.add(job);
  };
  for await (const page of planDigests(store, settings, { now, force: true })) {
    lap('plan');
    for (const item of page) {
      result.subscribers++;
      if (!item.edition) {
        result.skipped++;
        continue;
      }
      result.planned++;
      const key = item.edition.key;
      let index = editionIndex.get(key);
      if (index === undefined) {
        renderAndStore(item.edition, item.localDate);
        index = editionKeys.push(key) - 1;
        editionIndex.set(key, index);
      }
      readerIds.push(item.subscriber.id);
      readerEditions.push(index);
    }
    lap('plan');
    // Waiting on the renderer counts as render time; planning that overlapped it does not.
    while (inFlight.size >= RENDERS_IN_FLIGHT) await Promise.race(inFlight);
    lap('render');
    sample();
  }
  await Promise.all(inFlight);
  lap('render');
  const bytes = await spliceInClaimOrder(app, { editionKeys, readerIds, readerEditions }, () => result.editionLoads++, () => {
    result.personalised++;
    if (result.personalised % 10_000 === 0) sample();
  });
  lap('personalise');
  sample();
  result.peakHeapUsedMb = Math.round(heapPeak / 1024 / 1024);
  result.ms = performance.now() - started;
  result.renders = renderer.renderCount - rendersBefore;
  result.distinctEditions = editionKeys.length;
  result.peakRssMb = peakRssMb();
  if (bytes === 0 && result.planned > 0) throw new Error('personalisation produced nothing');
  return result;
}

/** What planning left for the splice stage: each planned reader's id and edition, in plan order. */
interface PlannedReaders {
  editionKeys: string[];
  readerIds: U32List;
  readerEditions: U32List;
}

/**
 * Readers' positions in claim order: by edition key (compared as the index compares them, byte
 * by byte), then by id. Plan order is already id order, so a stable counting sort by edition rank
 * gives it in linear time.
 */
function claimOrder({ editionKeys, readerEditions }: PlannedReaders): Uint32Array {
  const byKey = editionKeys.map((_, i) => i).sort((a, b) => Buffer.compare(Buffer.from(editionKeys[a]!), Buffer.from(editionKeys[b]!)));
  const rank = new Uint32Array(editionKeys.length);
  byKey.forEach((edition, r) => (rank[edition] = r));
  const starts = new Uint32Array(editionKeys.length + 1);
  for (let i = 0; i < readerEditions.length; i++) starts[rank[readerEditions.data[i]!]! + 1]!++;
  for (let r = 1; r < starts.length; r++) starts[r]! += starts[r - 1]!;
  const order = new Uint32Array(readerEditions.length);
  for (let i = 0; i < readerEditions.length; i++) order[starts[rank[readerEditions.data[i]!]!]!++] = i;
  return order;
}

/** Splices every planned reader's message in claim order, batch by batch; returns the bytes made. */
async function spliceInClaimOrder(app: App, planned: PlannedReaders, onLoad: () => void, onMessage: () => void): Promise<number> {
  const { config, store, links } = app;
  const encoder = app.mailer.encoded!;
  const cache = new EditionCache<EncodedEdition>(async (key) => (onLoad(), encoder.encodeEdition((await store.editions.get(key)) as MessageParts)), CACHE_SIZE);
  const order = claimOrder(planned);
  let bytes = 0;
  for (let at = 0; at < order.length; at += CLAIM_BATCH) {
    const batch = order.subarray(at, at + CLAIM_BATCH);
    const readers = await store.ledger.recipientsOf(Array.from(batch, (i) => planned.readerIds.data[i]!));
    for (const i of batch) {
      const reader = readers.get(planned.readerIds.data[i]!)!;
      const key = planned.editionKeys[planned.readerEditions.data[i]!]!;
      const fill = await cache.get(key);
      const personal = links.forSubscriber({ publicId: reader.public_id, signingKey: reader.signing_key });
      const to = { address: reader.email, name: reader.name };
      const values = { name: reader.name, email: reader.email, ...personal, viewOnlineUrl: links.archiveUrl(key) };
      const message = fill.message({ to, values, messageId: newMessageId(config.mail.from), date: new Date(), list: { unsubscribeUrl: personal.unsubscribeUrl, id: 'bench <digest.example.com>' } });
      bytes += messageBytes(message).length;
      onMessage();
    }
  }
  return bytes;
}
