import { describe, expect, it } from 'vitest';
import { runBenchmark, DEFAULT_BENCH_OPTIONS, type SendBenchResult, type PlanOnlyBenchResult } from '../../../bench/benchmark.js';
import { toJson } from '../../../bench/report.js';

// A small run of the real benchmark: the sink is a separate process, the pipeline is the
// production one. No timing assertions, only that every figure is there and adds up.
describe('npm run bench (smoke)', () => {
  it('measures the full edition, the raw limit and the naive baseline on 300 readers', async () => {
    const result = (await runBenchmark({ ...DEFAULT_BENCH_OPTIONS, subscribers: 300, naiveSample: 50 })) as SendBenchResult;
    const json = JSON.parse(toJson(result)) as SendBenchResult;

    expect(json.mode).toBe('send');
    expect(json.machine.cores).toBeGreaterThan(0);
    for (const part of [json.full, json.raw, json.naive]) {
      expect(part.messagesPerSecond).toBeGreaterThan(0);
      expect(part.ms).toBeGreaterThan(0);
    }
    expect(json.ratios.fullToRaw).toBeGreaterThan(0);
    expect(json.ratios.fullToNaive).toBeGreaterThan(0);
    expect(Object.keys(json.full.stages).sort()).toEqual(['plan', 'record', 'render', 'send']);
    expect(json.peakRssMb.end).toBeGreaterThan(0);

    // Every reader got one message, and the sink process counted each one.
    expect(json.full.messages).toBe(300);
    expect(json.full.sinkCounted).toBe(300);
    expect(json.raw.messages).toBe(300);
    expect(json.raw.sinkCounted).toBe(300);
    expect(json.naive.sample).toBe(50);
    expect(json.naive.sinkCounted).toBe(50);
    expect(json.naiveSequential.sinkCounted).toBe(50);

    // One render per distinct edition, not per reader.
    expect(json.full.renders).toBe(json.full.distinctEditions);
    expect(json.full.renders).toBeLessThan(json.full.messages);
    expect(json.full.distinctEditions).toBeLessThanOrEqual(json.seed!.distinctTopicSets);
  }, 120_000);

  it('plan-only renders each distinct edition once and personalises every reader', async () => {
    const result = (await runBenchmark({ ...DEFAULT_BENCH_OPTIONS, subscribers: 500, planOnly: true })) as PlanOnlyBenchResult;
    const p = result.planOnly;
    expect(p.planned).toBe(500);
    expect(p.personalised).toBe(500);
    expect(p.renders).toBe(p.distinctEditions);
    expect(p.renders).toBeLessThan(500);
    expect(p.peakRssMb).toBeGreaterThan(0);
  }, 120_000);
});
