import { spawn } from 'node:child_process';

/**
 * The heap flags `bin/topic-digest.js` starts the digest commands with (its sh prologue; a test
 * checks the two agree). The benchmark runs the product in-process, so it starts itself with
 * them too: its figures are those of `topic-digest send`, with no flag from the user.
 */
export const LAUNCHER_HEAP_FLAGS = ['--max-old-space-size=256', '--max-semi-space-size=4'];

/** The launcher's flags, or none if a heap size was chosen by hand (NODE_OPTIONS or node's own arguments). */
export function heapFlags(execArgv = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ''): string[] {
  const chosen = [...execArgv, ...nodeOptions.split(/\s+/)].some((a) => /^--max[-_](old|semi)[-_]space[-_]size\b/.test(a));
  return chosen ? [] : LAUNCHER_HEAP_FLAGS;
}

/** The environment the launcher adds: at most two glibc malloc arenas (see bin/topic-digest.js). */
export const LAUNCHER_ENV = { MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2' };

/** Runs `node flags argv` as the launcher would, with this process's output; resolves with its exit code. */
export function relaunch(flags: string[], argv: string[]): Promise<number> {
  const child = spawn(process.execPath, [...flags, ...process.execArgv, ...argv], { stdio: 'inherit', env: { ...process.env, ...LAUNCHER_ENV } });
  // Ctrl-C reaches the child through the process group; this process just waits for it.
  const ignore = () => undefined;
  process.on('SIGINT', ignore);
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
}
