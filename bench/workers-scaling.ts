import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { App } from '../src/main.js';
import type { DeliveryStatus } from '../src/store/schema.js';
import { BENCH_ENV, openBenchApp } from './bench-app.js';
import { cpuSnapshot, cpuUsage, type CpuUsage } from './cpu-usage.js';
import { measureFullEdition } from './full-edition.js';
import { machineInfo, type MachineInfo } from './machine.js';
import { createBenchDatabase } from './postgres-database.js';
import { startSinkProcess, type SinkHandle } from './sink-client.js';
import { seedSyntheticData, type AudienceModel, type SeedReport } from './synthetic-data.js';
import { startWorkerProcesses } from './worker-processes.js';

/** What `npm run bench -- --database postgres://… --workers 1,2,4` is asked to do. */
export interface WorkersBenchOptions {
  /** A PostgreSQL server URL whose role may CREATE DATABASE; the named database itself is not touched. */
  databaseUrl: string;
  /** Worker counts to measure, in order (the speed-up is over the run with 1 worker, or the first). */
  workers: number[];
  /** Milliseconds the sink holds each message before its 250. */
  latencyMs: number;
  subscribers: number;
  articles: number;
  /** SMTP_MAX_CONNECTIONS of each worker (and of the SQLite comparison). */
  connections: number;
  audience: AudienceModel;
  /** Also measure the single-process SQLite edition against the same sink (default true). */
  sqlite?: boolean;
  /** `--idle-ms` of each worker: how long an idle worker waits before looking again. */
  idleMs?: number;
}

/** Readers in a workers run unless `--subscribers` says otherwise: at least ~10 s per run at 4 workers on the reference machine. */
export const WORKERS_DEFAULT_SUBSCRIBERS = 6_000;

/** One worker count's measurement. */
export interface WorkerRunResult {
  workers: number;
  /** Planned deliveries, which is what the workers must send. */
  messages: number;
  /** From releasing the planned rows to the workers until the sink accepted the last message. */
  ms: number;
  messagesPerSecond: number;
  /** messagesPerSecond over the 1-worker run's. */
  speedUp: number | null;
  /** The sink's own window: first MAIL FROM to last 250 (excludes the first claim). */
  sinkWindowMs: number;
  sinkCounted: number;
  /** Distinct recipients the sink saw, and messages to a recipient it had already seen. */
  sinkRecipients: number;
  duplicates: number;
  /** The ledger after the workers stopped. */
  ledger: Record<DeliveryStatus, number>;
  /** Per worker, spawn until it logged that it was sending (not part of `ms`). */
  startupMs: number[];
  /** Worker exit codes after SIGTERM (0 = clean stop). */
  exitCodes: (number | null)[];
  seedMs: number;
  planMs: number;
  renders: number;
  /** CPU during the timed window: the whole machine, the workers together (`processesCores`), the sink, PostgreSQL. */
  cpu: CpuUsage & { sinkCores: number | null };
  /** The workers' CPU per message sent, in ms (all workers together ÷ messages). */
  workerCpuMsPerMessage: number | null;
}

/** The single-process SQLite comparison: `app.runDigest({ force: true })` in this process. */
export interface SqliteComparison {
  messages: number;
  /** Plan, render, record and send, start to finish (the `start` / `send` command's figure). */
  ms: number;
  messagesPerSecond: number;
  /** The send stage alone (comparable with the workers' figure, which excludes planning). */
  sendMs: number;
  sendMessagesPerSecond: number;
  sinkCounted: number;
  duplicates: number;
  renders: number;
  /** CPU during the edition: the machine, this process (`processesCores`), the sink. */
  cpu: CpuUsage & { sinkCores: number | null };
}

/** The result of a workers run. */
export interface WorkersBenchResult {
  mode: 'workers';
  machine: MachineInfo;
  postgresVersion: string;
  latencyMs: number;
  connections: number;
  /** The most one worker can send against this sink: connections × 1000 / latency. */
  perWorkerCeiling: number | null;
  seed: SeedReport;
  runs: WorkerRunResult[];
  sqlite: SqliteComparison | null;
  /** Speed-up of 4 workers over 1 (target ≥ 3), when both were measured. */
  speedUp4: number | null;
}

const GATE_OWNER = 'bench-gate';
const GATE_UNTIL = '9999-12-31T00:00:00.000Z';

async function measureWorkerCount(
  w: number,
  options: WorkersBenchOptions,
  sink: SinkHandle,
  now: Date,
  dir: string,
): Promise<{ run: WorkerRunResult; seed: SeedReport; postgresVersion: string }> {
  const database = await createBenchDatabase(options.databaseUrl);
  let app: App | undefined;
  let workers: ReturnType<typeof startWorkerProcesses> | undefined;
  try {
    app = await openBenchApp(database.url, sink.url, options.connections, dir);
    const seed = await seedSyntheticData(app.store, { subscribers: options.subscribers, articles: options.articles, now, audience: options.audience });
    const planStarted = performance.now();
    const plan = await app.runDigest({ now, force: true, planOnly: true });
    const planMs = performance.now() - planStarted;
    // Hold every planned row under a lease nobody owns, so workers that start early find nothing
    // to claim; releasing it in one statement starts them all at once, with startup excluded.
    await app.store.deliveries.gatePlanned(GATE_OWNER, GATE_UNTIL);
    // A live database has statistics (autovacuum analyzes a table soon after a plan inserts its
    // rows); a brand-new one does not, and until it has, PostgreSQL plans the claim query as a
    // sort of every planned row (17 ms per claim at 6,000 rows instead of 0.5 ms).
    await app.store.plans.refreshStatistics();

    workers = startWorkerProcesses(w, {
      ...BENCH_ENV,
      DATABASE_URL: database.url,
      SMTP_URL: sink.url,
      SMTP_MAX_CONNECTIONS: String(options.connections),
      SEED_SAMPLE_DATA: 'false',
      NODE_ENV: process.env.NODE_ENV ?? 'production',
    }, { idleMs: options.idleMs ?? 200 });
    const giveUp = new AbortController();
    await Promise.race([
      workers.ready.finally(() => giveUp.abort()),
      sleep(120_000, undefined, { signal: giveUp.signal }).then(() => Promise.reject(new Error('workers were not ready after 120 s')), () => undefined),
    ]);

    await sink.reset();
    const cpuBefore = cpuSnapshot(workers.pids);
    const sinkBefore = cpuSnapshot([sink.pid]);
    const released = performance.timeOrigin + performance.now();
    await app.store.deliveries.gatePlanned(GATE_OWNER, null);

    // Wait for the sink to count every planned message; give up if nothing moves for 60 s.
    let counted = await sink.count();
    let lastProgress = performance.now();
    while (counted.count < plan.planned) {
      await sleep(50);
      const c = await sink.count();
      if (c.count > counted.count) lastProgress = performance.now();
      counted = c;
      if (performance.now() - lastProgress > 60_000) break;
    }
    const cpuAfter = cpuSnapshot(workers.pids);
    const sinkAfter = cpuSnapshot([sink.pid]);
    const exitCodes = await workers.stop();
    const startupMs = [...workers.readyMs];
    workers = undefined;
    const final = await sink.count();
    const ledger = await app.store.deliveries.countByStatus();

    const ms = (final.lastAcceptedAt ?? released) - released;
    const cpu = { ...cpuUsage(cpuBefore, cpuAfter), sinkCores: cpuUsage(sinkBefore, sinkAfter).processesCores };
    return {
      seed,
      postgresVersion: database.serverVersion,
      run: {
        workers: w,
        messages: plan.planned,
        ms,
        messagesPerSecond: ms > 0 ? (final.count / ms) * 1000 : 0,
        speedUp: null,
        sinkWindowMs: final.firstStartedAt !== null && final.lastAcceptedAt !== null ? final.lastAcceptedAt - final.firstStartedAt : 0,
        sinkCounted: final.count,
        sinkRecipients: final.recipients,
        duplicates: final.duplicates,
        ledger,
        startupMs,
        exitCodes,
        seedMs: seed.ms,
        planMs,
        renders: plan.renders,
        cpu,
        workerCpuMsPerMessage: cpu.processesCores === null || final.count === 0 ? null : (cpu.processesCores * ms) / final.count,
      },
    };
  } finally {
    await workers?.stop(5_000);
    await app?.close();
    await database.drop();
  }
}

async function measureSqlite(options: WorkersBenchOptions, sink: SinkHandle, now: Date, dir: string): Promise<SqliteComparison> {
  const app = await openBenchApp(`sqlite:${join(dir, 'sqlite-comparison.db')}`, sink.url, options.connections, dir);
  try {
    await seedSyntheticData(app.store, { subscribers: options.subscribers, articles: options.articles, now, audience: options.audience });
    await sink.reset();
    const before = cpuSnapshot([process.pid]);
    const sinkBefore = cpuSnapshot([sink.pid]);
    const full = await measureFullEdition(app, now, sink);
    const after = cpuSnapshot([process.pid]);
    const sinkAfter = cpuSnapshot([sink.pid]);
    const counted = await sink.count();
    return {
      messages: full.messages,
      ms: full.ms,
      messagesPerSecond: full.messagesPerSecond,
      sendMs: full.stages.send,
      sendMessagesPerSecond: full.stages.send > 0 ? (full.messages / full.stages.send) * 1000 : 0,
      sinkCounted: counted.count,
      duplicates: counted.duplicates,
      renders: full.renders,
      cpu: { ...cpuUsage(before, after), sinkCores: cpuUsage(sinkBefore, sinkAfter).processesCores },
    };
  } finally {
    await app.close();
  }
}

/**
 * Measures how sending scales with `topic-digest worker` processes on PostgreSQL. For each worker
 * count: a fresh database, the synthetic data, one in-process plan (`planOnly`), then that many
 * real worker processes send the edition to a sink that holds each message `latencyMs` (a remote
 * relay). The clock runs from releasing the planned rows (all workers already started and idle)
 * until the sink accepted the last message. Then the single-process SQLite edition against the
 * same sink, for comparison.
 */
export async function runWorkersBenchmark(options: WorkersBenchOptions): Promise<WorkersBenchResult> {
  const machine = machineInfo();
  const dir = mkdtempSync(join(tmpdir(), 'topic-digest-bench-workers-'));
  const sink = await startSinkProcess({ latencyMs: options.latencyMs });
  const now = new Date();
  try {
    const runs: WorkerRunResult[] = [];
    let seed: SeedReport | undefined;
    let postgresVersion = '';
    for (const w of options.workers) {
      const r = await measureWorkerCount(w, options, sink, now, dir);
      runs.push(r.run);
      seed ??= r.seed;
      postgresVersion = r.postgresVersion;
    }
    const base = runs.find((r) => r.workers === 1) ?? runs[0];
    for (const r of runs) r.speedUp = base && base.messagesPerSecond > 0 ? r.messagesPerSecond / base.messagesPerSecond : null;
    const four = runs.find((r) => r.workers === 4);
    const sqlite = options.sqlite === false ? null : await measureSqlite(options, sink, now, dir);
    return {
      mode: 'workers',
      machine,
      postgresVersion,
      latencyMs: options.latencyMs,
      connections: options.connections,
      perWorkerCeiling: options.latencyMs > 0 ? (options.connections * 1000) / options.latencyMs : null,
      seed: seed!,
      runs,
      sqlite,
      speedUp4: four && base?.workers === 1 ? four.speedUp : null,
    };
  } finally {
    await sink.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
