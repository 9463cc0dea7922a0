import type { App } from '../src/main.js';
import { newMessageId } from '../src/deliver/headers.js';
import { messageBytes, type EncodedEdition } from '../src/deliver/mime/encoded-edition.js';
import type { MessageParts } from '../src/model/edition.js';
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

/** Encoded editions kept at once, as the send loop keeps them (src/deliver/send-run.ts). */
const CACHE_SIZE = 64;

/**
 * Plans, renders and personalises one edition for every reader without SMTP and without writing
 * the ledger. It walks `planDigests` page by page, renders each distinct edition once with the
 * app's renderer (a bounded worker thread past the first few editions) and stores it (as a digest
 * run does), then encodes it once and splices every reader's links and values into the encoded
 * message, as the send loop does, and throws the message away. Only a bounded cache of encoded
 * editions stays in memory; a cache miss reads the stored edition back, never re-renders.
 */
export async function measurePlanOnly(app: App, now: Date): Promise<PlanOnlyResult> {
  const { config, store, links, renderer } = app;
  const encoder = app.mailer.encoded!;
  const rendersBefore = renderer.renderCount;
  const settings = { ...config.digest, defaultTimezone: config.digest.timezone };
  const rendered = new Set<string>();
  const cache = new Map<string, EncodedEdition>();
  const result: PlanOnlyResult = {
    subscribers: 0, planned: 0, skipped: 0, renders: 0, distinctEditions: 0, personalised: 0, ms: 0,
    stages: { plan: 0, render: 0, personalise: 0 }, peakRssMb: 0, peakHeapUsedMb: 0, peakMemoryMb: { rss: 0, heapTotal: 0, external: 0, arrayBuffers: 0 }, peakRssBeforeMb: peakRssMb(),
  };
  const remember = (key: string, fill: EncodedEdition) => {
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(key, fill);
    return fill;
  };
  let bytes = 0;
  let heapPeak = 0;
  const started = performance.now();
  let mark = started;
  const lap = (stage: keyof PlanOnlyResult['stages']) => {
    const t = performance.now();
    result.stages[stage] += t - mark;
    mark = t;
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
      let fill = cache.get(key);
      if (!fill) {
        if (!rendered.has(key)) {
          lap('personalise');
          const r = await renderer.render(item.edition);
          const nowIso = new Date().toISOString();
          await store.editions.saveIfAbsent({ ...r, localDate: item.localDate, topics: item.edition.sections.map((s) => s.topic.slug) }, nowIso);
          rendered.add(key);
          fill = remember(key, encoder.encodeEdition(r));
          lap('render');
        } else {
          fill = remember(key, encoder.encodeEdition((await store.editions.get(key)) as MessageParts));
        }
      }
      const personal = links.forSubscriber(item.subscriber);
      const to = { address: item.subscriber.email, name: item.subscriber.name };
      const values = { name: item.subscriber.name, email: item.subscriber.email, ...personal, viewOnlineUrl: links.archiveUrl(key) };
      const message = fill.message({ to, values, messageId: newMessageId(config.mail.from), date: new Date(), list: { unsubscribeUrl: personal.unsubscribeUrl, id: 'bench <digest.example.com>' } });
      bytes += messageBytes(message).length;
      result.personalised++;
    }
    lap('personalise');
    const mem = process.memoryUsage();
    heapPeak = Math.max(heapPeak, mem.heapUsed);
    for (const k of ['rss', 'heapTotal', 'external', 'arrayBuffers'] as const) result.peakMemoryMb[k] = Math.max(result.peakMemoryMb[k], Math.round(mem[k] / 1024 / 1024));
  }
  result.peakHeapUsedMb = Math.round(heapPeak / 1024 / 1024);
  result.ms = performance.now() - started;
  result.renders = renderer.renderCount - rendersBefore;
  result.distinctEditions = rendered.size;
  result.peakRssMb = peakRssMb();
  if (bytes === 0 && result.planned > 0) throw new Error('personalisation produced nothing');
  return result;
}
