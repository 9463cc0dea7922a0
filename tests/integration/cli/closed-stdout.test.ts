import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/env.js';

/**
 * `topic-digest topics list | head -1`: the reader closes the pipe after one line. That is not
 * an error: no EPIPE stack trace, exit 0.
 */
describe('a closed stdout', () => {
  let cleanup: (() => void) | undefined;
  afterEach(() => cleanup?.());

  it('ends the command quietly with exit 0', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const bin = join(import.meta.dirname, '../../../bin/topic-digest.js');
    // Enough lines that the output outlives the pipe: the catalogue, several times over.
    const child = spawn(process.execPath, [bin, 'topics', 'list'], {
      env: { ...process.env, DATABASE_URL: `sqlite:${join(t.dir, 'td.db')}`, LOG_LEVEL: 'error' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|Unhandled|\n\s+at /);
    expect(code).toBe(0);
  }, 60_000);
});
