import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from '../src/main.js';
import { openBenchApp } from './bench-app.js';
import { measureBuiltRaw, type BuiltRawResult } from './built-raw.js';
import { measureEncodedRaw, type EncodedRawResult } from './encoded-raw.js';
import { measureFullEdition, type FullEditionResult } from './full-edition.js';
import { peakRssMb } from './machine.js';
import { measureNaiveBaseline, type NaiveBaselineResult } from './naive-baseline.js';
import type { SinkHandle } from './sink-client.js';

/** The send measurements the targets compare, as one round takes them. */
export interface SendRound {
  full: FullEditionResult;
  fullDkim: FullEditionResult;
  builtRaw: BuiltRawResult;
  encodedRaw: EncodedRawResult;
  naive: NaiveBaselineResult;
}

/** Each measurement's messages per second in every round, in round order. */
export type RoundFigures = Record<keyof SendRound, number[]>;

/** What {@link measureSendRounds} needs: the seeded file (copied per full run), the sink and the settings. */
export interface RoundsSetup {
  /** The seeded SQLite file; every full run sends from its own copy. */
  seededFile: string;
  dir: string;
  sink: SinkHandle;
  connections: number;
  naiveSample: number;
  now: Date;
  /** DKIM settings for the signed full runs (one key for all rounds). */
  dkimEnv: Record<string, string>;
}

/** The rounds, the median round of each measurement, and the first round's app (for the measurements after). */
export interface RoundsResult {
  median: SendRound;
  figures: RoundFigures;
  /** The first round's full-edition app: its ledger holds the sent deliveries the raw measurements replay. */
  app: App;
  /** Peak RSS right after the first full edition. */
  afterFullEditionMb: number;
}

const KEYS: (keyof SendRound)[] = ['full', 'fullDkim', 'builtRaw', 'encodedRaw', 'naive'];

/**
 * Takes the send measurements `rounds` times, interleaved (full, full with DKIM, built raw,
 * encoded raw, naive; then again), and keeps each one's median round. On two noisy cores one
 * measurement moved by ±10% between runs, enough to flip a ratio near its target; the median of
 * interleaved rounds is what the issue's own figures used ("median of 5 rounds"). Each full run
 * sends from a fresh copy of the seeded data; the raw and naive measurements replay the first
 * round's ledger.
 */
export async function measureSendRounds(setup: RoundsSetup, rounds: number): Promise<RoundsResult> {
  const { sink, connections, now } = setup;
  const open = async (name: string, env?: Record<string, string>) => {
    const file = join(setup.dir, name);
    copyFileSync(setup.seededFile, file);
    return { app: await openBenchApp(`sqlite:${file}`, sink.url, connections, setup.dir, env), file };
  };
  const taken: SendRound[] = [];
  let first: App | undefined;
  let afterFullEditionMb = 0;
  try {
    for (let i = 0; i < rounds; i++) {
      const full = await open(`bench-full-${i}.db`);
      first ??= full.app;
      const fullResult = await measureFullEdition(full.app, now, sink);
      if (i === 0) afterFullEditionMb = peakRssMb();
      else await dispose(full);
      const dkim = await open(`bench-dkim-${i}.db`, setup.dkimEnv);
      const fullDkim = await measureFullEdition(dkim.app, now, sink).finally(() => dispose(dkim));
      taken.push({
        full: fullResult,
        fullDkim,
        builtRaw: await measureBuiltRaw(first, sink, connections),
        encodedRaw: await measureEncodedRaw(first, sink, connections),
        naive: await measureNaiveBaseline(first, sink, { sample: setup.naiveSample, now, connections }),
      });
    }
  } catch (err) {
    await first?.close();
    throw err;
  }
  const figures = Object.fromEntries(KEYS.map((k) => [k, taken.map((r) => r[k].messagesPerSecond)])) as RoundFigures;
  const median = Object.fromEntries(KEYS.map((k) => [k, medianBy(taken.map((r) => r[k]), (x) => x.messagesPerSecond)])) as unknown as SendRound;
  return { median, figures, app: first!, afterFullEditionMb };
}

async function dispose(x: { app: App; file: string }): Promise<void> {
  await x.app.close();
  for (const suffix of ['', '-wal', '-shm']) rmSync(x.file + suffix, { force: true });
}

/** The item with the median value (the lower middle one for an even count). */
export function medianBy<T>(items: readonly T[], value: (x: T) => number): T {
  const sorted = [...items].sort((a, b) => value(a) - value(b));
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}
