import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { vi } from 'vitest';
import { runCli } from '../../src/cli/index.js';

/** What one in-process CLI run produced. */
export interface CliRun {
  code: number;
  /** Lines the command printed to stdout. */
  out: string[];
  /** Everything written to stderr (errors, hints, commander usage). */
  err: string;
}

/** Runs `topic-digest …args` in-process with the given env, capturing stdout lines and stderr. */
export async function runCliCaptured(args: string[], env: Record<string, string>): Promise<CliRun> {
  const out: string[] = [];
  let err = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  });
  try {
    const code = await runCli(['node', 'topic-digest', ...args], { env, print: (line) => out.push(line) });
    return { code, out, err };
  } finally {
    spy.mockRestore();
  }
}

/** What one `node bin/topic-digest.js` child process produced. */
export interface SpawnedRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real CLI as a child process (so unhandled rejections and exit codes are the real
 * ones). `uid` runs it as another user, e.g. so a read-only file stays read-only under root.
 */
export function spawnCli(args: string[], env: Record<string, string>, options: { uid?: number; gid?: number; timeoutMs?: number } = {}): Promise<SpawnedRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(process.cwd(), 'bin/topic-digest.js'), ...args], {
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 60_000,
      ...(options.uid !== undefined ? { uid: options.uid, gid: options.gid ?? options.uid } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}
