#!/usr/bin/env node
// Whole-process start-up of the production CLI (dist/, as `npm start` runs it) against a bare
// `node -e 0`, interleaved in one run so machine load hits both alike. Median of N runs (default
// 5) for wall time; peak RSS from /usr/bin/time. Usage: npm run bench:cli [-- --runs 9]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const runsAt = process.argv.indexOf('--runs');
const runs = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 5;
if (!existsSync('dist/src/cli/index.js')) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(1);
}
const dir = mkdtempSync(join(tmpdir(), 'topic-digest-cli-bench-'));
const env = { ...process.env, DATABASE_URL: `sqlite:${join(dir, 'bench.db')}`, LOG_LEVEL: 'warn' };
delete env.TOPIC_DIGEST_FROM_SOURCE;

const cases = [
  ['bare node -e 0', ['-e', '0']],
  ['topic-digest --help', ['bin/topic-digest.js', '--help']],
  ['topic-digest topics list', ['bin/topic-digest.js', 'topics', 'list']],
];

function once(args) {
  const started = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], { env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, rssMb: Number(r.stderr.trim().split('\n').at(-1)) / 1024 };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  once(cases[2][1]); // creates and migrates the database, outside the timing
  const samples = cases.map(() => []);
  for (let i = 0; i < runs; i++) cases.forEach(([, args], c) => samples[c].push(once(args)));
  const bare = median(samples[0].map((s) => s.ms));
  for (const [c, [name]] of cases.entries()) {
    const ms = median(samples[c].map((s) => s.ms));
    const rss = Math.max(...samples[c].map((s) => s.rssMb));
    console.log(`${name.padEnd(26)} median ${ms.toFixed(0).padStart(5)} ms  ${(ms / bare).toFixed(1).padStart(5)}× bare  peak RSS ${rss.toFixed(0)} MB`);
  }
  console.log(`(${runs} runs each, interleaved; load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')})`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
