import type { PlanOnlyBenchResult, SendBenchResult } from './benchmark.js';

/**
 * Formats benchmark results for people (aligned text) and for tools (one JSON object with every
 * figure, rounded).
 */

const n = (v: number, digits = 0) => v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const sec = (ms: number) => `${n(ms / 1000, 2)} s`;

/** Rounds every number in a result so the JSON stays readable. */
export function toJson(result: SendBenchResult | PlanOnlyBenchResult): string {
  return JSON.stringify(result, (_key, value: unknown) => (typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 1000) / 1000 : value));
}

function machineLine(r: SendBenchResult | PlanOnlyBenchResult): string {
  const m = r.machine;
  return `machine: ${m.cores} cores, ${m.cpuModel}, ${n(m.memoryMb)} MB, Node ${m.node}, ${m.platform}, NODE_ENV=${m.nodeEnv}, V8 heap limit ${n(m.heapLimitMb)} MB, load average ${m.loadAverage} at start`;
}

function seedLine(r: SendBenchResult | PlanOnlyBenchResult): string {
  const s = r.seed;
  return s
    ? `data: ${n(s.subscribers)} readers (${n(s.subscriberTopicRows)} topic links, ${n(s.distinctTopicSets)} distinct topic sets), ${n(s.articles)} articles, ${s.topics} topics; seeded in ${sec(s.ms)}`
    : 'data: reused an existing database';
}

/** The human-readable report. */
export function toText(r: SendBenchResult | PlanOnlyBenchResult): string {
  if (r.mode === 'plan-only') {
    const p = r.planOnly;
    return [
      'topic-digest benchmark: plan-only (plan, render, personalise; no SMTP, no ledger)',
      machineLine(r),
      seedLine(r),
      `readers planned:       ${n(p.planned)} (${n(p.skipped)} skipped)`,
      `renders:               ${n(p.renders)} (distinct editions: ${n(p.distinctEditions)})`,
      `personalised:          ${n(p.personalised)}`,
      `time:                  ${sec(p.ms)} (plan ${sec(p.stages.plan)}, render ${sec(p.stages.render)}, personalise ${sec(p.stages.personalise)})`,
      `readers per second:    ${n((p.personalised / p.ms) * 1000)}`,
      `peak RSS:              ${n(p.peakRssMb)} MB (${n(p.peakRssBeforeMb)} MB before planning; V8 heap in use peaked at ${n(p.peakHeapUsedMb)} MB)`,
    ].join('\n');
  }
  const { full, raw, naive, naiveSequential: seq } = r;
  return [
    'topic-digest benchmark: full edition vs raw SMTP limit vs naive per-reader render',
    machineLine(r),
    seedLine(r),
    '',
    `full edition:   ${n(full.messagesPerSecond, 1).padStart(8)} msg/s  (${n(full.messages)} messages in ${sec(full.ms)}; sink counted ${n(full.sinkCounted)}, ${n(full.bytesPerMessage)} B/msg)`,
    `raw limit:      ${n(raw.messagesPerSecond, 1).padStart(8)} msg/s  (${n(raw.messages)} pre-built messages in ${sec(raw.ms)}; sink counted ${n(raw.sinkCounted)}, ${n(raw.bytesPerMessage)} B/msg)`,
    `naive baseline: ${n(naive.messagesPerSecond, 1).padStart(8)} msg/s  (sample of ${n(naive.sample)}, ${n(naive.renders)} renders, in ${sec(naive.ms)}; sink counted ${n(naive.sinkCounted)}, ${n(naive.bytesPerMessage)} B/msg)`,
    `naive, awaited: ${n(seq.messagesPerSecond, 1).padStart(8)} msg/s  (same sample, each send awaited before the next render, in ${sec(seq.ms)}; sink counted ${n(seq.sinkCounted)})`,
    '',
    `full / raw:     ${n(r.ratios.fullToRaw, 2)}   (target >= 0.8)`,
    `full / naive:   ${n(r.ratios.fullToNaive, 2)}   (target >= 5; ceiling raw / naive = ${n(r.ratios.rawToNaive, 2)}; vs the awaited loop ${n(r.ratios.fullToNaiveSequential, 2)})`,
    `renders:        ${n(full.renders)} for ${n(full.distinctEditions)} distinct editions and ${n(full.messages)} readers`,
    `stages:         plan ${sec(full.stages.plan)}, render ${sec(full.stages.render)}, record ${sec(full.stages.record)}, send ${sec(full.stages.send)}`,
    `peak RSS:       ${n(r.peakRssMb.afterFullEdition)} MB after the full edition, ${n(r.peakRssMb.end)} MB at the end`,
  ].join('\n');
}
