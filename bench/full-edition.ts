import type { App } from '../src/main.js';
import type { DigestRunSummary, DigestStage } from '../src/pipeline/digest-run.js';
import type { SinkHandle } from './sink-client.js';

/** Milliseconds per stage of the full edition, summed over pages. */
export type StageTimes = Record<DigestStage, number>;

/** What {@link measureFullEdition} found. */
export interface FullEditionResult {
  messages: number;
  ms: number;
  messagesPerSecond: number;
  /** Messages per second of the send stage alone (claim, splice, SMTP, record). */
  sendStageMessagesPerSecond: number;
  renders: number;
  /** Distinct edition keys among the deliveries that were sent. */
  distinctEditions: number;
  stages: StageTimes;
  /** Messages the sink process counted during the run. */
  sinkCounted: number;
  /** Bytes the sink received per message, to compare message sizes across the three measurements. */
  bytesPerMessage: number;
  summary: DigestRunSummary;
}

/**
 * The full edition through the production path: `app.runDigest({ now, force: true })` plans,
 * renders each distinct edition once, records the ledger and sends through the app's pooled
 * SMTP mailer to the sink.
 */
export async function measureFullEdition(app: App, now: Date, sink: SinkHandle): Promise<FullEditionResult> {
  const stages: StageTimes = { plan: 0, render: 0, record: 0, send: 0 };
  const before = await sink.count();
  const started = performance.now();
  const summary = await app.runDigest({ now, force: true, onStage: (stage, ms) => (stages[stage] += ms) });
  const ms = performance.now() - started;
  const after = await sink.count();
  const distinct = (await app.store.deliveries.sentEditionKeys()).length;
  const counted = after.count - before.count;
  return {
    messages: summary.sent,
    ms,
    messagesPerSecond: (summary.sent / ms) * 1000,
    sendStageMessagesPerSecond: stages.send > 0 ? (summary.sent / stages.send) * 1000 : 0,
    renders: summary.renders,
    distinctEditions: distinct,
    stages,
    sinkCounted: counted,
    bytesPerMessage: counted > 0 ? (after.bytes - before.bytes) / counted : 0,
    summary,
  };
}
