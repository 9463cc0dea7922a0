import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';

/** The machine a benchmark ran on, printed with every result so figures are never quoted without it. */
export interface MachineInfo {
  cores: number;
  cpuModel: string;
  memoryMb: number;
  node: string;
  platform: string;
  /** NODE_ENV the run used: React renders about twice as fast in its production build. */
  nodeEnv: string;
  /** V8's heap limit (set with NODE_OPTIONS=--max-old-space-size=N): how lazily garbage is collected. */
  heapLimitMb: number;
  /** 1-minute load average when the run started: other work on a shared machine skews the figures. */
  loadAverage: number;
}

/** Describes this machine. */
export function machineInfo(): MachineInfo {
  return {
    cores: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryMb: Math.round(totalmem() / 1024 / 1024),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    nodeEnv: process.env.NODE_ENV ?? "(unset)",
    heapLimitMb: Math.round(getHeapStatistics().heap_size_limit / 1024 / 1024),
    loadAverage: Math.round(loadavg()[0]! * 100) / 100,
  };
}

/** The process's peak resident set size so far, in MB (`process.resourceUsage().maxRSS` is in KB). */
export function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}
