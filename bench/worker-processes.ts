import { spawn, type ChildProcess } from 'node:child_process';
import { heapFlags } from './launcher-heap.js';
import { fileURLToPath } from 'node:url';

/** A running set of `topic-digest worker` processes started by {@link startWorkerProcesses}. */
export interface WorkerProcesses {
  pids: number[];
  /** Resolves once every worker has logged that it is sending (its app is open and SMTP verified). */
  ready: Promise<void>;
  /** Milliseconds from spawn to ready, per worker (filled in as they become ready). */
  readyMs: number[];
  /**
   * Sends SIGTERM to each worker (it finishes the message in flight and records it) and waits for
   * them to exit; a worker still running after `timeoutMs` is killed. Resolves with the exit codes.
   */
  stop(timeoutMs?: number): Promise<(number | null)[]>;
}

const cli = fileURLToPath(new URL('../bin/topic-digest.js', import.meta.url));
/** What `topic-digest worker` logs (at info) once it is about to claim its first batch. */
const READY_LINE = 'worker sending to';

/**
 * Starts `count` real `node bin/topic-digest.js worker --idle-ms <idleMs>` processes with `env`
 * added to this process's environment. They log at info so their ready line can be seen; lines
 * at warn and above are passed on to this process's stderr, the rest is dropped.
 */
export function startWorkerProcesses(count: number, env: Record<string, string>, options: { idleMs?: number } = {}): WorkerProcesses {
  const children: ChildProcess[] = [];
  const readyMs: number[] = [];
  const readies: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    // The heap `topic-digest worker` gets from its launcher, given here as node runs the file directly.
    const child = spawn(process.execPath, [...heapFlags([], ''), cli, 'worker', '--idle-ms', String(options.idleMs ?? 200)], {
      env: { ...process.env, ...env, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(child);
    readies.push(
      new Promise<void>((resolve, reject) => {
        let buffered = '';
        let isReady = false;
        child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
          buffered += chunk;
          const lines = buffered.split('\n');
          buffered = lines.pop()!;
          for (const line of lines) {
            if (!isReady && line.includes(READY_LINE)) {
              isReady = true;
              readyMs[i] = performance.now() - started;
              resolve();
            } else if (!/^\S+ (INFO|DEBUG) /.test(line)) {
              process.stderr.write(`[worker ${i + 1}] ${line}\n`);
            }
          }
        });
        child.once('exit', (code, signal) => {
          if (!isReady) reject(new Error(`worker ${i + 1} exited (${signal ?? code}) before it was ready`));
        });
      }),
    );
  }
  const ready = Promise.all(readies).then(() => undefined);
  ready.catch(() => undefined);
  return {
    pids: children.map((c) => c.pid!),
    ready,
    readyMs,
    stop: (timeoutMs = 30_000) =>
      Promise.all(
        children.map(
          (child) =>
            new Promise<number | null>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
              const kill = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
              child.once('exit', (code) => {
                clearTimeout(kill);
                resolve(code);
              });
              child.kill('SIGTERM');
            }),
        ),
      ),
  };
}
