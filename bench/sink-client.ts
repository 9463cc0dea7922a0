import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SinkCounters, SinkReply, SinkRequest } from './sink-process.js';

/** The parent's handle on the sink process started by {@link startSinkProcess}. */
export interface SinkHandle {
  url: string;
  pid: number;
  /** Milliseconds the sink waits before answering 250 to each message. */
  latencyMs: number;
  /** Messages and bytes the sink has accepted so far (since it started or was last reset), and per-recipient counts. */
  count(): Promise<SinkCounters>;
  /** Zeroes the sink's counters, its per-recipient record and its first/last timestamps. */
  reset(): Promise<void>;
  /** Resolves once the sink has counted at least `n` messages (sendMail resolves on the server's 250, so this is normally immediate). */
  waitForCount(n: number, timeoutMs?: number): Promise<number>;
  stop(): Promise<void>;
}

// Compiled (dist/bench/, what `npm run bench` runs) the sink is plain JavaScript; from source it goes through tsx.
const compiled = import.meta.url.endsWith('.js');
const sinkArgs = compiled
  ? [fileURLToPath(new URL('./sink-process.js', import.meta.url))]
  : [fileURLToPath(new URL('../bin/run-ts.js', import.meta.url)), fileURLToPath(new URL('./sink-process.ts', import.meta.url))];

/**
 * Forks `bench/sink-process` (compiled, or through tsx) and waits until it listens. `latencyMs` delays each
 * 250 reply, like a remote relay (default 0: answer at once).
 */
export async function startSinkProcess(options: { latencyMs?: number } = {}): Promise<SinkHandle> {
  const child: ChildProcess = fork(sinkArgs[0]!, [...sinkArgs.slice(1), '--latency-ms', String(options.latencyMs ?? 0)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const replies: ((r: SinkReply) => void)[] = [];
  child.on('message', (r: SinkReply) => {
    for (const fn of replies.splice(0)) fn(r);
  });
  const next = (type: SinkReply['type']) =>
    new Promise<SinkReply>((resolve, reject) => {
      const onExit = () => reject(new Error('the SMTP sink process exited'));
      child.once('exit', onExit);
      const wait = (r: SinkReply) => {
        if (r.type !== type) return void replies.push(wait);
        child.off('exit', onExit);
        resolve(r);
      };
      replies.push(wait);
    });
  const ready = (await next('ready')) as Extract<SinkReply, { type: 'ready' }>;
  const request = (m: SinkRequest) => child.send(m);
  const ask = async (type: 'count' | 'reset'): Promise<SinkCounters> => {
    const reply = next('count');
    request({ type });
    const { type: _type, ...counters } = (await reply) as Extract<SinkReply, { type: 'count' }>;
    return counters;
  };
  const count = () => ask('count');
  return {
    url: `smtp://127.0.0.1:${ready.port}`,
    pid: child.pid!,
    latencyMs: ready.latencyMs,
    count,
    reset: async () => {
      await ask('reset');
    },
    async waitForCount(n, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { count: c } = await count();
        if (c >= n || Date.now() > deadline) return c;
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        request({ type: 'stop' });
      }),
  };
}
