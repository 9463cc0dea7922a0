import { generateKeyPairSync } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBenchApp } from './bench-app.js';
import type { FullEditionResult } from './full-edition.js';
import { machineInfo, peakRssMb, type MachineInfo } from './machine.js';
import type { NaiveBaselineResult } from './naive-baseline.js';
import { measurePlanOnly, type PlanOnlyResult } from './plan-only.js';
import type { BuiltRawResult } from './built-raw.js';
import type { EncodedRawResult } from './encoded-raw.js';
import type { RoundFigures } from './send-rounds.js';
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
  /** Only the full edition (the production path), e.g. to compare its send stage across list sizes. */
  fullOnly?: boolean;
  /** With fullOnly: sign every message (DKIM, RSA-2048), e.g. to profile the DKIM run alone. */
  dkim?: boolean;
  audience: AudienceModel;
  /**
   * Send measurements taken this many times, interleaved; each figure is its median round (see
   * send-rounds.ts). The command line's default is 3.
   */
  rounds?: number;
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
  rounds: 3,
  planOnly: false,
  audience: DEFAULT_AUDIENCE,
};

/** The result of a full benchmark run (every measurement on the same data and machine). */
export interface SendBenchResult {
  mode: 'send';
  machine: MachineInfo;
  seed: SeedReport | null;
  full: FullEditionResult;
  /** The same full edition on a copy of the same data, every message DKIM-signed (RSA-2048). */
  fullDkim: FullEditionResult;
  /** nodemailer building each message, no database or render (formerly "raw limit"). */
  builtRaw: BuiltRawResult;
  /** Pre-encoded bytes through the same transport: the ceiling. */
  encodedRaw: EncodedRawResult;
  /** The conservative baseline: sends overlap the next render, up to the pool size. */
  naive: NaiveBaselineResult;
  /** How many interleaved rounds the five send measurements above took; each is its median round. */
  rounds: number;
  /** Messages per second of each of those measurements, round by round. */
  roundFigures: RoundFigures;
  /** The target ratios round by round (each round's own figures). */
  roundRatios: Pick<Record<keyof SendBenchResult['ratios'], number[]>, 'fullToBuiltRaw' | 'fullToEncodedRaw' | 'fullToNaive' | 'dkimToFull'>;
  /** The literal loop: each send awaited before the next render. Reported, not used for the target. */
  naiveSequential: NaiveBaselineResult;
  ratios: {
    fullToBuiltRaw: number;
    fullToEncodedRaw: number;
    fullToNaive: number;
    fullToNaiveSequential: number;
    dkimToFull: number;
    encodedRawToNaive: number;
  };
  /** Peak RSS of the bench process after seeding and the full edition, then at the end. */
  peakRssMb: { afterFullEdition: number; end: number };
}

/** DKIM settings with a fresh RSA-2048 key, as an operator would configure them. */
function dkimEnv(): Record<string, string> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { DKIM_DOMAIN: 'news.example.com', DKIM_SELECTOR: 'bench', DKIM_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString().replace(/\n/g, '\\n') };
}

/** The result of a `--plan-only` run. */
export interface PlanOnlyBenchResult {
  mode: 'plan-only';
  machine: MachineInfo;
  seed: SeedReport | null;
  planOnly: PlanOnlyResult;
}

/** The result of a `--full-only` run: the full edition alone. */
export interface FullOnlyBenchResult {
  mode: 'full-only';
  machine: MachineInfo;
  seed: SeedReport | null;
  full: FullEditionResult;
  peakRssMb: number;
}

/**
 * Runs the benchmark: seeds synthetic data, then either measures the full edition (with and
 * without DKIM), the built-raw and encoded-raw transport ceilings and the naive baseline against
 * a separate-process SMTP sink, or (plan-only)
 * plans, renders and personalises for every reader without SMTP.
 */
export async function runBenchmark(options: BenchOptions): Promise<SendBenchResult | PlanOnlyBenchResult | FullOnlyBenchResult> {
  const machine = machineInfo();
  const dir = mkdtempSync(join(tmpdir(), 'topic-digest-bench-'));
  const dbFile = options.dbPath ?? join(dir, 'bench.db');
  const reuse = options.dbPath !== undefined && existsSync(options.dbPath);
  const now = new Date();
  const sink = options.planOnly ? undefined : await startSinkProcess();
  let app = await openBenchApp(`sqlite:${dbFile}`, sink?.url, options.connections, dir);
  try {
    let seed: SeedReport | null = null;
    if (!reuse || (await app.store.subscribers.count()) === 0) {
      seed = await seedSyntheticData(app.store, { subscribers: options.subscribers, articles: options.articles, now, audience: options.audience, ...(options.seed !== undefined ? { seed: options.seed } : {}) });
    }
    if (options.planOnly) {
      return { mode: 'plan-only', machine, seed, planOnly: await measurePlanOnly(app, now) };
    }
    // Every send measurement needs the data as seeded, and a file kept with --db must stay as
    // seeded for the next run: each full run sends from its own copy, made after closing (which
    // checkpoints SQLite's WAL into the file).
    await app.close();
    if (options.fullOnly) {
      const file = join(dir, 'bench-full.db');
      copyFileSync(dbFile, file);
      app = await openBenchApp(`sqlite:${file}`, sink!.url, options.connections, dir, options.dkim ? dkimEnv() : undefined);
      const full = await (await import('./full-edition.js')).measureFullEdition(app, now, sink!);
      return { mode: 'full-only', machine, seed, full, peakRssMb: peakRssMb() };
    }
    // Loaded for the send measurements only: the naive baseline brings React into this thread,
    // which a plan-only run (the product's main thread renders nothing) must not carry.
    const [{ measureSendRounds }, { measureNaiveBaseline }] = await Promise.all([import('./send-rounds.js'), import('./naive-baseline.js')]);
    const sample = Math.min(options.naiveSample, options.subscribers);
    const rounds = await measureSendRounds({ seededFile: dbFile, dir, sink: sink!, connections: options.connections, naiveSample: sample, now, dkimEnv: dkimEnv() }, options.rounds ?? 1);
    app = rounds.app;
    const { full, fullDkim, builtRaw, encodedRaw, naive } = rounds.median;
    const naiveSequential = await measureNaiveBaseline(app, sink!, { sample, now, connections: options.connections, inFlight: 1 });
    const f = rounds.figures;
    return {
      mode: 'send',
      machine,
      seed,
      rounds: f.full.length,
      roundFigures: f,
      full,
      fullDkim,
      builtRaw,
      encodedRaw,
      naive,
      naiveSequential,
      ratios: {
        fullToBuiltRaw: full.messagesPerSecond / builtRaw.messagesPerSecond,
        fullToEncodedRaw: full.messagesPerSecond / encodedRaw.messagesPerSecond,
        fullToNaive: full.messagesPerSecond / naive.messagesPerSecond,
        fullToNaiveSequential: full.messagesPerSecond / naiveSequential.messagesPerSecond,
        dkimToFull: fullDkim.messagesPerSecond / full.messagesPerSecond,
        // The ceiling of full/naive: the full edition cannot beat the transport it sends through.
        encodedRawToNaive: encodedRaw.messagesPerSecond / naive.messagesPerSecond,
      },
      roundRatios: {
        fullToBuiltRaw: f.full.map((v, i) => v / f.builtRaw[i]!),
        fullToEncodedRaw: f.full.map((v, i) => v / f.encodedRaw[i]!),
        fullToNaive: f.full.map((v, i) => v / f.naive[i]!),
        dkimToFull: f.fullDkim.map((v, i) => v / f.full[i]!),
      },
      peakRssMb: { afterFullEdition: rounds.afterFullEditionMb, end: peakRssMb() },
    };
  } finally {
    await app.close();
    await sink?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
