/**
 * `npm run bench [-- options]`: the throughput and memory benchmark. See docs/benchmarks.md.
 *
 *   --subscribers N    readers to generate (default 20000)
 *   --articles N       articles from the last day (default 1000)
 *   --naive-sample N   readers in the naive baseline's sample (default 2000)
 *   --connections N    SMTP pool size (default 5)
 *   --rounds N         take the five send measurements N times, interleaved, and report each one's
 *                      median round (default 3; 1 for a quick look)
 *   --preset-share X   share of readers who keep a signup preset bundle (default 0.5; 0 = all choose freely)
 *   --plan-only        plan, render and personalise without SMTP; report time and peak RSS
 *   --full-only        only the full edition (e.g. its send stage at --subscribers 200000)
 *   --dkim             with --full-only: DKIM-sign every message (RSA-2048)
 *   --db FILE          keep the SQLite file (reused, without seeding, if it already has readers)
 *   --json             print one JSON object instead of the text report
 *
 * Scale-out mode (PostgreSQL, real `topic-digest worker` processes):
 *   --database URL     a PostgreSQL server URL whose role may CREATE DATABASE (a td_bench_* database
 *                      is created per worker count and dropped afterwards)
 *   --workers LIST     worker counts to measure, e.g. 1,2,4
 *   --latency-ms N     the sink holds each message N ms before its 250, like a remote relay (default 20)
 *   --no-sqlite        skip the single-process SQLite comparison
 *   (--subscribers defaults to 6000 here; --connections is each worker's SMTP_MAX_CONNECTIONS)
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { heapFlags, relaunch } from './launcher-heap.js';

// The product runs its digest commands with the heap its launcher sets (the sh prologue of bin/topic-digest.js); the
// benchmark runs the same code in-process, so it starts itself the same way (source runs go
// through tsx again). A heap size set by hand (NODE_OPTIONS) is kept, for comparisons.
const flags = heapFlags();
if (flags.length > 0) {
  const self = fileURLToPath(import.meta.url);
  const argv = self.endsWith('.js') ? [self] : [fileURLToPath(new URL('../bin/run-ts.js', import.meta.url)), self];
  process.exit(await relaunch(flags, [...argv, ...process.argv.slice(2)]));
}

// React picks its development or production build when first imported; production deployments
// set NODE_ENV=production, so the benchmark does too unless told otherwise.
process.env.NODE_ENV ??= 'production';
const { DEFAULT_BENCH_OPTIONS, runBenchmark } = await import('./benchmark.js');
const { toJson, toText } = await import('./report.js');
const { runWorkersBenchmark, WORKERS_DEFAULT_SUBSCRIBERS } = await import('./workers-scaling.js');

const { values } = parseArgs({
  options: {
    subscribers: { type: 'string' },
    articles: { type: 'string' },
    'naive-sample': { type: 'string' },
    connections: { type: 'string' },
    rounds: { type: 'string' },
    'preset-share': { type: 'string' },
    'plan-only': { type: 'boolean', default: false },
    'full-only': { type: 'boolean', default: false },
    dkim: { type: 'boolean', default: false },
    db: { type: 'string' },
    json: { type: 'boolean', default: false },
    database: { type: 'string' },
    workers: { type: 'string' },
    'latency-ms': { type: 'string' },
    'no-sqlite': { type: 'boolean', default: false },
  },
});

function count(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const v = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(v) || v < 1) {
    console.error(`--${name} must be a positive whole number (got ${JSON.stringify(value)})`);
    process.exit(2);
  }
  return v;
}

const presetShare = values['preset-share'] === undefined ? DEFAULT_BENCH_OPTIONS.audience.presetShare : Number(values['preset-share']);
if (!(presetShare >= 0 && presetShare <= 1)) {
  console.error('--preset-share must be between 0 and 1');
  process.exit(2);
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

if (values.rounds !== undefined && (values['plan-only'] || values['full-only'] || values.workers !== undefined)) fail('--rounds goes with the full benchmark only');
if (values.dkim && !values['full-only']) fail('--dkim goes with --full-only (a full run measures with and without DKIM)');
if ((values.database === undefined) !== (values.workers === undefined)) fail('--database and --workers go together');
if (values.database !== undefined && !/^postgres(ql)?:\/\//.test(values.database)) fail('--database must be a postgres:// URL');
if (values.workers !== undefined && (values['plan-only'] || values['full-only'])) fail('--workers goes with neither --plan-only nor --full-only');
if (values['plan-only'] && values['full-only']) fail('--plan-only and --full-only do not go together');

const audience = { ...DEFAULT_BENCH_OPTIONS.audience, presetShare };
const result = values.workers !== undefined
  ? await runWorkersBenchmark({
      databaseUrl: values.database!,
      workers: values.workers.split(',').map((w) => count('workers', w.trim(), 1)),
      latencyMs: values['latency-ms'] === undefined ? 20 : Number(values['latency-ms']) >= 0 ? Number(values['latency-ms']) : fail('--latency-ms must be a number >= 0'),
      subscribers: count('subscribers', values.subscribers, WORKERS_DEFAULT_SUBSCRIBERS),
      articles: count('articles', values.articles, DEFAULT_BENCH_OPTIONS.articles),
      connections: count('connections', values.connections, DEFAULT_BENCH_OPTIONS.connections),
      audience,
      sqlite: !values['no-sqlite'],
    })
  : await runBenchmark({
      subscribers: count('subscribers', values.subscribers, DEFAULT_BENCH_OPTIONS.subscribers),
      articles: count('articles', values.articles, DEFAULT_BENCH_OPTIONS.articles),
      naiveSample: count('naive-sample', values['naive-sample'], DEFAULT_BENCH_OPTIONS.naiveSample),
      connections: count('connections', values.connections, DEFAULT_BENCH_OPTIONS.connections),
      rounds: count('rounds', values.rounds, DEFAULT_BENCH_OPTIONS.rounds!),
      planOnly: values['plan-only'],
      fullOnly: values['full-only'],
      dkim: values.dkim,
      audience,
      ...(values.db ? { dbPath: values.db } : {}),
    });
console.log(values.json ? toJson(result) : toText(result));
