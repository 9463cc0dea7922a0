import type { FullOnlyBenchResult, PlanOnlyBenchResult, SendBenchResult } from './benchmark.js';
import type { WorkersBenchResult } from './workers-scaling.js';

/**
 * Formats benchmark results for people (aligned text) and for tools (one JSON object with every
 * figure, rounded).
 */

const n = (v: number, digits = 0) => v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const sec = (ms: number) => `${n(ms / 1000, 2)} s`;

/** Rounds every number in a result so the JSON stays readable. */
export function toJson(result: SendBenchResult | PlanOnlyBenchResult | FullOnlyBenchResult | WorkersBenchResult): string {
  return JSON.stringify(result, (_key, value: unknown) => (typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 1000) / 1000 : value));
}

function machineLine(r: SendBenchResult | PlanOnlyBenchResult | FullOnlyBenchResult | WorkersBenchResult): string {
  const m = r.machine;
  return `machine: ${m.cores} cores, ${m.cpuModel}, ${n(m.memoryMb)} MB, Node ${m.node}, ${m.platform}, NODE_ENV=${m.nodeEnv}, V8 heap limit ${n(m.heapLimitMb)} MB, load average ${m.loadAverage} at start`;
}

function seedLine(r: SendBenchResult | PlanOnlyBenchResult | FullOnlyBenchResult): string {
  const s = r.seed;
  return s
    ? `data: ${n(s.subscribers)} readers (${n(s.subscriberTopicRows)} topic links, ${n(s.distinctTopicSets)} distinct topic sets), ${n(s.articles)} articles, ${s.topics} topics; seeded in ${sec(s.ms)}`
    : 'data: reused an existing database';
}

const pct = (v: number | null) => (v === null ? 'n/a' : `${n(v * 100)}%`);
const cores = (v: number | null) => (v === null ? 'n/a' : n(v, 2));

function workersText(r: WorkersBenchResult): string {
  const s = r.seed;
  const lines = [
    `topic-digest benchmark: ${r.runs.map((x) => x.workers).join(', ')} topic-digest worker processes on PostgreSQL, sink latency ${n(r.latencyMs)} ms/message`,
    machineLine(r),
    `PostgreSQL ${r.postgresVersion}; ${r.connections} SMTP connections per worker, so at most ${r.perWorkerCeiling === null ? 'n/a' : n(r.perWorkerCeiling)} msg/s per worker against this sink`,
    `data: ${n(s.subscribers)} readers (${n(s.distinctTopicSets)} distinct topic sets), ${n(s.articles)} articles; a fresh database per worker count`,
    '',
    'workers    msg/s  speed-up  messages     time  sink counted  dupes  ledger sent  CPU: machine  workers  postgres  sink  worker CPU/msg   startup',
  ];
  for (const x of r.runs) {
    lines.push(
      [
        String(x.workers).padStart(7),
        n(x.messagesPerSecond, 1).padStart(8),
        (x.speedUp === null ? 'n/a' : n(x.speedUp, 2)).padStart(9),
        n(x.messages).padStart(9),
        sec(x.ms).padStart(8),
        n(x.sinkCounted).padStart(13),
        n(x.duplicates).padStart(6),
        n(x.ledger.sent).padStart(12),
        pct(x.cpu.machineBusy).padStart(13),
        cores(x.cpu.processesCores).padStart(8),
        cores(x.cpu.postgresCores).padStart(9),
        cores(x.cpu.sinkCores).padStart(5),
        (x.workerCpuMsPerMessage === null ? 'n/a' : `${n(x.workerCpuMsPerMessage, 2)} ms`).padStart(15),
        `  ${x.startupMs.map((ms) => sec(ms)).join(', ')}`,
      ].join(' '),
    );
  }
  if (r.sqlite) {
    const q = r.sqlite;
    lines.push(
      '',
      `SQLite, one process (app.runDigest({ force: true }), same sink): ${n(q.messagesPerSecond, 1)} msg/s start to finish (${n(q.messages)} in ${sec(q.ms)}, ${n(q.renders)} renders); send stage ${n(q.sendMessagesPerSecond, 1)} msg/s; sink counted ${n(q.sinkCounted)}, ${n(q.duplicates)} duplicates; CPU: machine ${pct(q.cpu.machineBusy)}, bench process ${cores(q.cpu.processesCores)} cores, sink ${cores(q.cpu.sinkCores)}`,
    );
  }
  lines.push(
    '',
    `speed-up 4 workers / 1: ${r.speedUp4 === null ? 'n/a (needs runs with 1 and 4 workers)' : n(r.speedUp4, 2)}   (target >= 3)`,
    'time: from releasing the planned rows (every worker already started and idle) until the sink accepted the last message; CPU in cores (1 = one core busy), machine = share of all cores busy',
  );
  return lines.join('\n');
}

/** The human-readable report. */
export function toText(r: SendBenchResult | PlanOnlyBenchResult | FullOnlyBenchResult | WorkersBenchResult): string {
  if (r.mode === 'workers') return workersText(r);
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
      `memory peaks:          heap total ${n(p.peakMemoryMb.heapTotal)} MB, external ${n(p.peakMemoryMb.external)} MB (array buffers ${n(p.peakMemoryMb.arrayBuffers)} MB), sampled RSS ${n(p.peakMemoryMb.rss)} MB`,
    ].join('\n');
  }
  if (r.mode === 'full-only') {
    const { full } = r;
    return [
      'topic-digest benchmark: full edition only',
      machineLine(r),
      seedLine(r),
      `full edition:   ${n(full.messagesPerSecond, 1).padStart(8)} msg/s  (${n(full.messages)} messages in ${sec(full.ms)}; send stage ${n(full.sendStageMessagesPerSecond, 1)} msg/s; sink counted ${n(full.sinkCounted)}, ${n(full.bytesPerMessage)} B/msg)`,
      `renders:        ${n(full.renders)} for ${n(full.distinctEditions)} distinct editions${full.renders === full.distinctEditions ? '' : '  (MISMATCH)'}`,
      `stages:         plan ${sec(full.stages.plan)}, render ${sec(full.stages.render)}, record ${sec(full.stages.record)}, send ${sec(full.stages.send)}`,
      `peak RSS:       ${n(r.peakRssMb)} MB`,
    ].join('\n');
  }
  const { full, fullDkim, builtRaw, encodedRaw, naive, naiveSequential: seq, roundFigures: f, roundRatios: rr } = r;
  const each = (xs: number[], digits: number) => (r.rounds > 1 ? `   rounds: ${xs.map((x) => n(x, digits)).join(', ')}` : '');
  const ratio = (v: number, target: string) => `${n(v, 2)}   (target ${target}${v >= Number(target.replace(/[^0-9.]/g, '')) ? ', met' : ', MISSED'})`;
  return [
    'topic-digest benchmark: full edition vs built raw vs encoded raw vs naive per-reader render',
    machineLine(r),
    seedLine(r),
    r.rounds > 1 ? `the five send measurements were taken ${r.rounds} times, interleaved; each line is its median round, and the ratios compare medians` : 'one round of each send measurement',
    '',
    `full edition:   ${n(full.messagesPerSecond, 1).padStart(8)} msg/s  (${n(full.messages)} messages in ${sec(full.ms)}; send stage ${n(full.sendStageMessagesPerSecond, 1)} msg/s; sink counted ${n(full.sinkCounted)}, ${n(full.bytesPerMessage)} B/msg)${each(f.full, 0)}`,
    `full, DKIM:     ${n(fullDkim.messagesPerSecond, 1).padStart(8)} msg/s  (${n(fullDkim.messages)} messages in ${sec(fullDkim.ms)}; send stage ${n(fullDkim.sendStageMessagesPerSecond, 1)} msg/s; sink counted ${n(fullDkim.sinkCounted)}, ${n(fullDkim.bytesPerMessage)} B/msg)${each(f.fullDkim, 0)}`,
    `built raw:      ${n(builtRaw.messagesPerSecond, 1).padStart(8)} msg/s  (${n(builtRaw.messages)} messages nodemailer builds, in ${sec(builtRaw.ms)}; sink counted ${n(builtRaw.sinkCounted)}, ${n(builtRaw.bytesPerMessage)} B/msg)${each(f.builtRaw, 0)}`,
    `encoded raw:    ${n(encodedRaw.messagesPerSecond, 1).padStart(8)} msg/s  (${n(encodedRaw.messages)} pre-encoded messages in ${sec(encodedRaw.ms)}; sink counted ${n(encodedRaw.sinkCounted)}, ${n(encodedRaw.bytesPerMessage)} B/msg)${each(f.encodedRaw, 0)}`,
    `naive baseline: ${n(naive.messagesPerSecond, 1).padStart(8)} msg/s  (sample of ${n(naive.sample)}, ${n(naive.renders)} renders, in ${sec(naive.ms)}; sink counted ${n(naive.sinkCounted)}, ${n(naive.bytesPerMessage)} B/msg)${each(f.naive, 0)}`,
    `naive, awaited: ${n(seq.messagesPerSecond, 1).padStart(8)} msg/s  (same sample, each send awaited before the next render, in ${sec(seq.ms)}; sink counted ${n(seq.sinkCounted)})`,
    '',
    `full / built raw:    ${ratio(r.ratios.fullToBuiltRaw, '>= 1.2')}${each(rr.fullToBuiltRaw, 2)}`,
    `full / encoded raw:  ${ratio(r.ratios.fullToEncodedRaw, '>= 0.5')}${each(rr.fullToEncodedRaw, 2)}`,
    `full / naive:        ${ratio(r.ratios.fullToNaive, '>= 4')}; ceiling encoded raw / naive = ${n(r.ratios.encodedRawToNaive, 2)}; vs the awaited loop ${n(r.ratios.fullToNaiveSequential, 2)}${each(rr.fullToNaive, 2)}`,
    `DKIM / no DKIM:      ${ratio(r.ratios.dkimToFull, '>= 0.8')}${each(rr.dkimToFull, 2)}`,
    `renders:        ${n(full.renders)} for ${n(full.distinctEditions)} distinct editions and ${n(full.messages)} readers${full.renders === full.distinctEditions ? '' : '  (MISMATCH)'}`,
    `stages:         plan ${sec(full.stages.plan)}, render ${sec(full.stages.render)}, record ${sec(full.stages.record)}, send ${sec(full.stages.send)}`,
    `peak RSS:       ${n(r.peakRssMb.afterFullEdition)} MB after the full edition, ${n(r.peakRssMb.end)} MB at the end`,
  ].join('\n');
}
