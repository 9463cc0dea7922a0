import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SinkReply, SinkRequest } from './sink-process.js';

/** The parent's handle on the sink process started by {@link startSinkProcess}. */
export interface SinkHandle {
  url: string;
  pid: number;
  /** Messages and bytes the sink has accepted so far. */
  count(): Promise<{ count: number; bytes: number }>;
  /** Resolves once the sink has counted at least `n` messages (sendMail resolves on the server's 250, so this is normally immediate). */
  waitForCount(n: number, timeoutMs?: number): Promise<number>;
  stop(): Promise<void>;
}

const runTs = fileURLToPath(new URL('../bin/run-ts.js', import.meta.url));
const sinkFile = fileURLToPath(new URL('./sink-process.ts', import.meta.url));

/** Forks `bench/sink-process.ts` (through tsx) and waits until it listens. */
export async function startSinkProcess(): Promise<SinkHandle> {
  const child: ChildProcess = fork(runTs, [sinkFile], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
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
  const count = async () => {
    const reply = next('count');
    request({ type: 'count' });
    const r = (await reply) as Extract<SinkReply, { type: 'count' }>;
    return { count: r.count, bytes: r.bytes };
  };
  return {
    url: `smtp://127.0.0.1:${ready.port}`,
    pid: child.pid!,
    count,
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
