#!/usr/bin/env node
// Runs the compiled JavaScript in dist/ (`npm run build`, which `npm install` and `npm start` run
// for you). TOPIC_DIGEST_FROM_SOURCE=1 runs src/ through tsx instead: the test suite sets it so
// that the processes it spawns run the code under test, not whatever was built last.
import { existsSync } from 'node:fs';

// React's development build renders emails about twice as slowly; opt in to it explicitly.
process.env.NODE_ENV ??= 'production';

let cli;
if (process.env.TOPIC_DIGEST_FROM_SOURCE === '1') {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('../src/cli/index.ts');
} else {
  const entry = new URL('../dist/src/cli/index.js', import.meta.url);
  if (!existsSync(entry)) {
    process.stderr.write(
      'topic-digest is not built: dist/ is missing.\n' +
        'hint: run `npm run build` (it needs the dev dependencies: `npm ci`), then try again\n',
    );
    process.exit(1);
  }
  cli = await import(entry.href);
}
process.exitCode = await cli.runCli(process.argv);
