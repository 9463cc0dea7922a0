import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { heapFlags, LAUNCHER_ENV, LAUNCHER_HEAP_FLAGS } from '../../../bench/launcher-heap.js';
import { tempDir } from '../../helpers/env.js';

// Run as a command, the launcher starts the digest commands with a bounded heap, so that no user
// has to pass V8 flags (a 200k-reader plan peaked at 418-548 MB under Node's default heap). It
// execs node (same pid: a SIGKILL to it kills the digest run itself), leaves other commands and a
// heap size the user chose alone, and the benchmark measures with the same flags.

const run = promisify(execFile);
const LAUNCHER = resolve('bin/topic-digest.js');
const RECORDER = resolve('tests/helpers/record-heap.mjs');
let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

function records(file: string): { pid: number; heapLimitMb: number; arenas: string | null }[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { pid: number; heapLimitMb: number; arenas: string | null }) : [];
}

function env(file: string, nodeOptions = '') {
  const { MALLOC_ARENA_MAX: _unset, ...rest } = process.env;
  return { ...rest, TOPIC_DIGEST_FROM_SOURCE: '1', RECORD_HEAP_TO: file, NODE_OPTIONS: `--import ${RECORDER} ${nodeOptions}`, DATABASE_URL: `sqlite:${join(dir, 'heap.db')}`, SECRET_KEY: 'h'.repeat(40), LOG_LEVEL: 'silent', OUTBOX_DIR: join(dir, 'outbox') };
}

describe('the launcher sets the heap of the digest commands', () => {
  it('gives send, start, worker and scheduler the bounded heap, and nothing else', async () => {
    const file = join(dir, 'heap.jsonl');
    for (const cmd of ['send', 'start', 'worker', 'scheduler']) await run(LAUNCHER, [cmd, '--help'], { env: env(file) });
    await run(LAUNCHER, ['topics', 'list'], { env: env(file) });
    const limits = records(file).map((r) => r.heapLimitMb);
    expect(limits).toHaveLength(5);
    for (const mb of limits.slice(0, 4)) expect(mb).toBeGreaterThanOrEqual(256);
    for (const mb of limits.slice(0, 4)) expect(mb).toBeLessThan(256 + 32);
    expect(limits[4]).toBeGreaterThan(1000);
    // Two glibc malloc arenas for the digest commands (the render worker and thread pool keep freed memory in theirs).
    expect(records(file).map((r) => r.arenas)).toEqual(['2', '2', '2', '2', null]);
  }, 120_000);

  it('keeps a heap size the user set, and node run on the file directly keeps its defaults', async () => {
    const file = join(dir, 'heap.jsonl');
    await run(LAUNCHER, ['send', '--help'], { env: env(file, '--max-old-space-size=700') });
    await run(process.execPath, [LAUNCHER, 'send', '--help'], { env: env(file) });
    const [own, direct] = records(file).map((r) => r.heapLimitMb);
    expect(own).toBeGreaterThanOrEqual(700);
    expect(own).toBeLessThan(800);
    expect(direct).toBeGreaterThan(1000);
  }, 60_000);

  it('replaces itself with node: the pid a supervisor holds is the digest process', async () => {
    const file = join(dir, 'heap.jsonl');
    const child = spawn(LAUNCHER, ['worker', '--idle-ms', '200'], { env: env(file), stdio: 'ignore' });
    for (let i = 0; i < 300 && records(file).length === 0; i++) await sleep(100);
    expect(records(file)).toEqual([{ pid: child.pid, heapLimitMb: expect.any(Number), arenas: '2' }]);
    const exited = new Promise((r) => child.on('exit', (_code, signal) => r(signal)));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
  }, 60_000);

  it('is measured by the benchmark with the same flags', () => {
    expect(readFileSync(LAUNCHER, 'utf8')).toContain(`exec node ${LAUNCHER_HEAP_FLAGS.join(' ')} "$0" "$@"`);
    expect(readFileSync(LAUNCHER, 'utf8')).toContain(`export MALLOC_ARENA_MAX="\${MALLOC_ARENA_MAX:-${LAUNCHER_ENV.MALLOC_ARENA_MAX}}"`);
    expect(heapFlags([], '')).toEqual(LAUNCHER_HEAP_FLAGS);
    expect(heapFlags(['--max-old-space-size=2048'], '')).toEqual([]);
    expect(heapFlags([], '--enable-source-maps --max_semi_space_size=8')).toEqual([]);
  });
});
