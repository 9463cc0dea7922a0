import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBenchApp } from './bench-app.js';
import { measureFullEdition, type FullEditionResult } from './full-edition.js';
import { machineInfo, peakRssMb, type MachineInfo } from './machine.js';
import { measureNaiveBaseline, type NaiveBaselineResult } from './naive-baseline.js';
import { measurePlanOnly, type PlanOnlyResult } from './plan-only.js';
import { measureRawLimit, type RawLimitResult } from './raw-limit.js';
import { startSinkProcess } from './sink-client.js';
import { DEFAULT_AUDIENCE, seedSyntheticData, type AudienceModel, type SeedReport } from './synthetic-data.js';

/** What one benchmark run is asked to do. */
export interface BenchOptions {
  subscribers: number;
  articles: number;
  /** Readers in the naive baseline's sample (capped at `subscribers`). */
  naiveSample: number;
  /** SMTP pool size for all three measurements (SMTP_MAX_CONNECTIONS). */
  connections: number;
  planOnly: boolean;
  audience: AudienceModel;
  /** Reuse (or keep) this SQLite file instead of a temporary one; seeding is skipped if it has readers. */
  dbPath?: string;
  seed?: number;
}

/** Defaults of the `npm run bench` command line. */
export const DEFAULT_BENCH_OPTIONS: BenchOptions = {
  subscribers: 20_000,
  articles: 1_000,
  naiveSample: 2_000,
  connections: 5,
  planOnly: false,
  audience: DEFAULT_AUDIENCE,
};

/** The result of a full benchmark run (three measurements on the same data and machine). */
export interface SendBenchResult {
  mode: 'send';
  machine: MachineInfo;
  seed: SeedReport | null;
  full: FullEditionResult;
  raw: RawLimitResult;
  /** The conservative baseline: sends overlap the next render, up to the pool size. */
  naive: NaiveBaselineResult;
  /** The literal loop: each send awaited before the next render. Reported, not used for the target. */
  naiveSequential: NaiveBaselineResult;
  ratios: { fullToRaw: number; fullToNaive: number; fullToNaiveSequential: number; rawToNaive: number };
  /** Peak RSS of the bench process after seeding and the full edition, then at the end. */
  peakRssMb: { afterFullEdition: number; end: number };
}

/** The result of a `--plan-only` run. */
export interface PlanOnlyBenchResult {
  mode: 'plan-only';
  machine: MachineInfo;
  seed: SeedReport | null;
  planOnly: PlanOnlyResult;
}

/**
 * Runs the benchmark: seeds synthetic data, then either measures the full edition, the raw
 * transport limit and the naive baseline against a separate-process SMTP sink, or (plan-only)
 * plans, renders and personalises for every reader without SMTP.
 */
export async function runBenchmark(options: BenchOptions): Promise<SendBenchResult | PlanOnlyBenchResult> {
  const machine = machineInfo();
  const dir = mkdtempSync(join(tmpdir(), 'topic-digest-bench-'));
  const dbFile = options.dbPath ?? join(dir, 'bench.db');
  const reuse = options.dbPath !== undefined && existsSync(options.dbPath);
  const now = new Date();
  const sink = options.planOnly ? undefined : await startSinkProcess();
  const app = await openBenchApp(`sqlite:${dbFile}`, sink?.url, options.connections, dir);
  try {
    let seed: SeedReport | null = null;
    if (!reuse || (await app.store.subscribers.count()) === 0) {
      seed = await seedSyntheticData(app.store, { subscribers: options.subscribers, articles: options.articles, now, audience: options.audience, ...(options.seed !== undefined ? { seed: options.seed } : {}) });
    }
    if (options.planOnly) {
      return { mode: 'plan-only', machine, seed, planOnly: await measurePlanOnly(app, now) };
    }
    const full = await measureFullEdition(app, now, sink!);
    const afterFullEdition = peakRssMb();
    const raw = await measureRawLimit(app, sink!, options.connections);
    const sample = Math.min(options.naiveSample, options.subscribers);
    const naive = await measureNaiveBaseline(app, sink!, { sample, now, connections: options.connections });
    const naiveSequential = await measureNaiveBaseline(app, sink!, { sample, now, connections: options.connections, inFlight: 1 });
    return {
      mode: 'send',
      machine,
      seed,
      full,
      raw,
      naive,
      naiveSequential,
      ratios: {
        fullToRaw: full.messagesPerSecond / raw.messagesPerSecond,
        fullToNaive: full.messagesPerSecond / naive.messagesPerSecond,
        fullToNaiveSequential: full.messagesPerSecond / naiveSequential.messagesPerSecond,
        // The ceiling of full/naive: the full edition cannot beat the transport it sends through.
        rawToNaive: raw.messagesPerSecond / naive.messagesPerSecond,
      },
      peakRssMb: { afterFullEdition, end: peakRssMb() },
    };
  } finally {
    await app.close();
    await sink?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
