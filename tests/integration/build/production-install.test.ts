import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/env.js';

const run = promisify(execFile);

/**
 * What `npm ci --omit=dev` leaves: the package's own files and no TypeScript. The scripts are
 * copied into an empty folder, where neither typescript nor dist/ can be found.
 */
let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir('topic-digest-prod-'));
  mkdirSync(join(dir, 'scripts'));
  mkdirSync(join(dir, 'bin'));
  copyFileSync('scripts/build-if-possible.js', join(dir, 'scripts', 'build-if-possible.js'));
  copyFileSync('bin/topic-digest.js', join(dir, 'bin', 'topic-digest.js'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'topic-digest', type: 'module' }));
});
afterEach(() => cleanup());

const env = { ...process.env, TOPIC_DIGEST_FROM_SOURCE: undefined };

describe('a production install without TypeScript', () => {
  it('prepare succeeds without building, and says what to do', async () => {
    const { stderr } = await run(process.execPath, ['scripts/build-if-possible.js'], { cwd: dir, env });
    expect(stderr).toMatch(/dist\/ is not built and TypeScript is not installed/);
    expect(stderr).toMatch(/npm ci && npm run build/);
  });

  it('prepare keeps a dist/ built beforehand', async () => {
    mkdirSync(join(dir, 'dist', 'src', 'cli'), { recursive: true });
    writeFileSync(join(dir, 'dist', 'src', 'cli', 'index.js'), 'export async function runCli() { console.log("ran dist"); return 0; }\n');
    const { stdout } = await run(process.execPath, ['scripts/build-if-possible.js'], { cwd: dir, env });
    expect(stdout).toMatch(/using the dist\/ already built/);
    const ran = await run(process.execPath, ['bin/topic-digest.js', '--help'], { cwd: dir, env });
    expect(ran.stdout).toBe('ran dist\n');
  });

  it('topic-digest refuses to start without dist/, with a hint and no stack trace', async () => {
    const failed = await run(process.execPath, ['bin/topic-digest.js', '--help'], { cwd: dir, env }).catch((err: { code: number; stderr: string }) => err);
    expect(failed).toMatchObject({ code: 1 });
    const stderr = (failed as { stderr: string }).stderr;
    expect(stderr).toMatch(/topic-digest is not built: dist\/ is missing\.\nhint: run `npm run build`/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
