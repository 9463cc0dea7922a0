import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time on Linux, read from /proc, to tell whether a measurement ran out of cores: the whole
 * machine's busy time, and the CPU time of given processes and of every `postgres` process.
 * Elsewhere (no /proc) every figure is null.
 */

/** A reading to subtract from a later one. */
export interface CpuSnapshot {
  /** Machine-wide busy and total jiffies from /proc/stat (all cores). */
  machine: { busy: number; total: number } | null;
  /** CPU seconds (user + system) per pid asked for. */
  pids: Map<number, number>;
  /** CPU seconds of all processes named `postgres` (the server and its backends). */
  postgres: number | null;
  at: number;
}

/** CPU used between two snapshots. */
export interface CpuUsage {
  /** Share of all cores busy, 0..1 (1 = every core busy the whole time). */
  machineBusy: number | null;
  /** Cores' worth of CPU the given processes used together (CPU seconds ÷ wall seconds). */
  processesCores: number | null;
  /** Cores' worth used by PostgreSQL's processes (all of them, including other clients' backends). */
  postgresCores: number | null;
}

const TICKS = 100; // USER_HZ on Linux

function machineJiffies(): CpuSnapshot['machine'] {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0); // user nice system idle iowait irq softirq steal
    return { busy: total - f[3]! - f[4]!, total };
  } catch {
    return null;
  }
}

function processSeconds(pid: number | string): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / TICKS; // utime, stime (fields 14 and 15)
  } catch {
    return null;
  }
}

function postgresSeconds(): number | null {
  try {
    let sum = 0;
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') continue;
      } catch {
        continue;
      }
      sum += processSeconds(pid) ?? 0;
    }
    return sum;
  } catch {
    return null;
  }
}

/** Reads the counters now. */
export function cpuSnapshot(pids: readonly number[]): CpuSnapshot {
  const m = new Map<number, number>();
  for (const pid of pids) {
    const s = processSeconds(pid);
    if (s !== null) m.set(pid, s);
  }
  return { machine: machineJiffies(), pids: m, postgres: postgresSeconds(), at: performance.now() };
}

/**
 * The CPU used from `before` to `after`. Processes that ended in between (or postgres backends
 * that closed) are not counted, so take `after` while the processes still run.
 */
export function cpuUsage(before: CpuSnapshot, after: CpuSnapshot): CpuUsage {
  const wall = (after.at - before.at) / 1000;
  let procs: number | null = null;
  for (const [pid, end] of after.pids) {
    const start = before.pids.get(pid);
    if (start !== undefined) procs = (procs ?? 0) + (end - start);
  }
  const m = before.machine && after.machine ? { busy: after.machine.busy - before.machine.busy, total: after.machine.total - before.machine.total } : null;
  return {
    machineBusy: m && m.total > 0 ? m.busy / m.total : null,
    processesCores: procs === null || wall <= 0 ? null : procs / wall,
    postgresCores: before.postgres === null || after.postgres === null || wall <= 0 ? null : Math.max(0, after.postgres - before.postgres) / wall,
  };
}
