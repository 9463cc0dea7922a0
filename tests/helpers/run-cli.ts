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
