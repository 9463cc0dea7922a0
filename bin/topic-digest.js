#!/bin/sh
':' //; for a in "$@"; do case "$a" in -*) ;; *) cmd="$a"; break ;; esac; done
':' //; case "$cmd" in start|send|worker|scheduler) export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"; case " $NODE_OPTIONS " in *-max[-_]old[-_]space[-_]size*|*-max[-_]semi[-_]space[-_]size*) ;; *) exec node --max-old-space-size=256 --max-semi-space-size=4 "$0" "$@" ;; esac ;; esac
':' //; exec node "$0" "$@"
// The lines above are for sh and a no-op for node: run as a command (`topic-digest`, `npm start`),
// sh starts node in its place (`exec`: same process, same pid) with a heap sized for the digest
// commands. A digest run's live heap is small (about 35 MB after planning a million readers), but
// under Node's default limit (about 4 GB) V8 lets garbage grow to several times that before
// collecting, and 60 KB message buffers pile up to 64 MB between scavenges: a 200,000-reader plan
// peaked at 418-548 MB over that live set. A capped old space makes V8 collect at about 1.5x the
// live heap, small semi-spaces free message buffers every few hundred messages. V8 reads these
// flags only at start-up. A heap size set in NODE_OPTIONS is kept; `node bin/topic-digest.js`
// starts with Node's defaults. MALLOC_ARENA_MAX=2 (unless set): glibc otherwise gives each thread
// (the render worker, the thread pool that signs DKIM) its own malloc arenas, which keep freed
// memory: 14 MB more peak RSS on a 50,000-reader plan.
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
