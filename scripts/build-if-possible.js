#!/usr/bin/env node
// `prepare` (after `npm install` / `npm ci`) and `prestart` run this: compile src/ and emails/ to
// dist/ when TypeScript is installed. A production install (`npm ci --omit=dev`) has no
// TypeScript, and failing there would fail the whole install, so it keeps a dist/ built
// beforehand, or says what to do and leaves `topic-digest` to refuse to start with the same advice.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = existsSync(new URL('../dist/src/cli/index.js', import.meta.url));

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  if (built) {
    console.log('topic-digest: TypeScript is not installed (a production install); using the dist/ already built.');
  } else {
    console.warn(
      'topic-digest: dist/ is not built and TypeScript is not installed (npm ci --omit=dev leaves it out).\n' +
        '  Build where the dev dependencies are installed (`npm ci && npm run build`) and ship dist/ with the app,\n' +
        '  or install without --omit=dev.',
    );
  }
  process.exit(0);
}

const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
