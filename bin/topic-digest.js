#!/usr/bin/env node
// Runs the compiled JavaScript in dist/ (`npm run build`, which `npm install` and `npm start` run
// for you). TOPIC_DIGEST_FROM_SOURCE=1 runs src/ through tsx instead: the test suite sets it so
// that the processes it spawns run the code under test, not whatever was built last.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// `topic-digest … | head` closes our stdout early: that is the reader being done, not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

// React's development build renders emails about twice as slowly; opt in to it explicitly.
process.env.NODE_ENV ??= 'production';

let cli;
if (process.env.TOPIC_DIGEST_FROM_SOURCE === '1') {
  const { register } = await import('tsx/esm/api');
  // The project's own tsconfig (its JSX settings), wherever the command is run from.
  register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
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
