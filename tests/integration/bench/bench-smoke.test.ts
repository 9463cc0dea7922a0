import { describe, expect, it } from 'vitest';
import { runBenchmark, DEFAULT_BENCH_OPTIONS, type SendBenchResult, type PlanOnlyBenchResult, type FullOnlyBenchResult } from '../../../bench/benchmark.js';
import { toJson, toText } from '../../../bench/report.js';
import { tempDir } from '../../helpers/env.js';
import { runWorkersBenchmark, type WorkersBenchResult } from '../../../bench/workers-scaling.js';

// A small run of the real benchmark: the sink is a separate process, the pipeline is the
// production one. No timing assertions, only that every figure is there and adds up.
describe('npm run bench (smoke)', () => {
  it('measures the full edition with and without DKIM, built raw, encoded raw and the naive baseline on 300 readers', async () => {
    const result = (await runBenchmark({ ...DEFAULT_BENCH_OPTIONS, subscribers: 300, naiveSample: 50 })) as SendBenchResult;
    const json = JSON.parse(toJson(result)) as SendBenchResult;

    expect(json.mode).toBe('send');
    expect(json.machine.cores).toBeGreaterThan(0);
    for (const part of [json.full, json.fullDkim, json.builtRaw, json.encodedRaw, json.naive]) {
      expect(part.messagesPerSecond).toBeGreaterThan(0);
      expect(part.ms).toBeGreaterThan(0);
    }
    for (const ratio of ['fullToBuiltRaw', 'fullToEncodedRaw', 'fullToNaive', 'dkimToFull'] as const) expect(json.ratios[ratio]).toBeGreaterThan(0);
    expect(json.full.sendStageMessagesPerSecond).toBeGreaterThan(0);
    expect(json.ratios.fullToNaive).toBeGreaterThan(0);
    expect(Object.keys(json.full.stages).sort()).toEqual(['plan', 'record', 'render', 'send']);
    expect(json.peakRssMb.end).toBeGreaterThan(0);

    // Every reader got one message, and the sink process counted each one.
    expect(json.full.messages).toBe(300);
    expect(json.full.sinkCounted).toBe(300);
    // The DKIM run starts from a copy of the same data, so it sends the same edition again.
    expect(json.fullDkim.messages).toBe(300);
    expect(json.fullDkim.sinkCounted).toBe(300);
    expect(json.fullDkim.renders).toBe(json.full.renders);
    expect(json.fullDkim.bytesPerMessage).toBeGreaterThan(json.full.bytesPerMessage);
    for (const replay of [json.builtRaw, json.encodedRaw]) {
      expect(replay.messages).toBe(300);
      expect(replay.sinkCounted).toBe(300);
    }
    expect(json.naive.sample).toBe(50);
    expect(json.naive.sinkCounted).toBe(50);
    expect(json.naiveSequential.sinkCounted).toBe(50);

    // One render per distinct edition, not per reader.
    expect(json.full.renders).toBe(json.full.distinctEditions);
    expect(json.full.renders).toBeLessThan(json.full.messages);
    expect(json.full.distinctEditions).toBeLessThanOrEqual(json.seed!.distinctTopicSets);
  }, 120_000);

  it('full-only measures just the production path, and a kept --db file sends again on the next run', async () => {
    const t = tempDir();
    try {
      for (const run of [1, 2]) {
        const result = (await runBenchmark({ ...DEFAULT_BENCH_OPTIONS, subscribers: 200, fullOnly: true, dbPath: `${t.dir}/kept.db` })) as FullOnlyBenchResult;
        expect(result.mode).toBe('full-only');
        // Seeded by the first run only; both send every reader once, from a copy of the kept file.
        expect(result.seed === null).toBe(run === 2);
        expect(result.full.messages).toBe(200);
        expect(result.full.sinkCounted).toBe(200);
        expect(result.full.sendStageMessagesPerSecond).toBeGreaterThan(0);
        expect(result.full.renders).toBe(result.full.distinctEditions);
        expect(toText(result)).toMatch(/full edition only[\s\S]*send stage/);
      }
    } finally {
      t.cleanup();
    }
  }, 90_000);

  it('plan-only renders each distinct edition once and personalises every reader', async () => {
    const result = (await runBenchmark({ ...DEFAULT_BENCH_OPTIONS, subscribers: 500, planOnly: true })) as PlanOnlyBenchResult;
    const p = result.planOnly;
    expect(p.planned).toBe(500);
    // Claim order (edition by edition) loads each stored edition once; id order missed the cache.
    expect(p.editionLoads).toBe(p.distinctEditions);
    expect(p.distinctEditions).toBeGreaterThan(64);
    expect(p.personalised).toBe(500);
    expect(p.renders).toBe(p.distinctEditions);
    expect(p.renders).toBeLessThan(500);
    expect(p.peakRssMb).toBeGreaterThan(0);
    // Where the RSS went: the V8 heap and the buffers outside it, as peaks between pages.
    expect(p.peakMemoryMb.heapTotal).toBeGreaterThan(0);
    expect(p.peakMemoryMb.rss).toBeLessThanOrEqual(p.peakRssMb);
  }, 120_000);

  // `--database postgres://… --workers 1` on a tiny edition: a real `topic-digest worker` process
  // sends it through the latency sink. Only with a PostgreSQL server to create the database on.
  it.skipIf(!process.env.TEST_DATABASE_URL)('workers mode: one worker process sends every planned message exactly once', async () => {
    const result = await runWorkersBenchmark({
      databaseUrl: process.env.TEST_DATABASE_URL!,
      workers: [1],
      latencyMs: 5,
      subscribers: 120,
      articles: 200,
      connections: 2,
      audience: DEFAULT_BENCH_OPTIONS.audience,
      sqlite: false,
    });
    const json = JSON.parse(toJson(result)) as WorkersBenchResult;
    expect(json.mode).toBe('workers');
    expect(json.postgresVersion).not.toBe('');
    expect(json.perWorkerCeiling).toBe(400);
    expect(json.runs).toHaveLength(1);
    const run = json.runs[0]!;
    expect(run.workers).toBe(1);
    expect(run.messages).toBe(120);
    expect(run.sinkCounted).toBe(120);
    expect(run.sinkRecipients).toBe(120);
    expect(run.duplicates).toBe(0);
    expect(run.ledger.sent).toBe(120);
    expect(run.ledger.planned + run.ledger.sending + run.ledger.failed).toBe(0);
    expect(run.messagesPerSecond).toBeGreaterThan(0);
    expect(run.speedUp).toBe(1);
    expect(run.exitCodes).toEqual([0]);
    expect(run.startupMs).toHaveLength(1);
    expect(json.sqlite).toBeNull();
  }, 120_000);
});
