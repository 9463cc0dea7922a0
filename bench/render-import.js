#!/usr/bin/env node
// Cost of loading the render path (React + the digest template) in a fresh process and in a fresh
// worker thread, as the render worker pays it at start-up: RSS after import, CPU and wall time.
// Median of N runs (default 5), interleaved with a bare React import. Needs dist/ (npm run build).
// Usage: node bench/render-import.js [--runs 5] [--dist path/to/dist]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const arg = (name, fallback) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const runs = Number(arg('--runs', 5));
const entry = resolve(arg('--dist', 'dist'), 'src/render/edition-renderer.js');
if (!existsSync(entry)) {
  console.error(`${entry} is missing: run \`npm run build\` first`);
  process.exit(1);
}
const url = pathToFileURL(entry).href;

// Each probe prints one JSON line: rss (MB) after the import, cpu and wall (ms) of the import (for
// the worker: wall from `new Worker` to its ready message, cpu of the whole process).
const probe = (target) => `
const t0 = process.hrtime.bigint(), c0 = process.cpuUsage();
await import(${JSON.stringify(target)});
const c = process.cpuUsage(c0);
console.log(JSON.stringify({ rss: process.memoryUsage().rss / 1048576, cpu: (c.user + c.system) / 1000, wall: Number(process.hrtime.bigint() - t0) / 1e6 }));`;
const inWorker = (target) => `
import { Worker } from 'node:worker_threads';
const t0 = process.hrtime.bigint();
const w = new Worker(${JSON.stringify(`await import(${JSON.stringify(target)}); (await import('node:worker_threads')).parentPort.postMessage(0);`)}, { eval: true });
w.once('message', async () => { const rss = process.memoryUsage().rss / 1048576; await w.terminate(); const c = process.cpuUsage(); console.log(JSON.stringify({ rss, cpu: (c.user + c.system) / 1000, wall: Number(process.hrtime.bigint() - t0) / 1e6 })); });`;

const cases = [
  ['react-dom/server only (process)', probe('react-dom/server')],
  ['digest renderer (process)', probe(url)],
  ['digest renderer (worker start)', inWorker(url)],
];
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = cases.map(() => []);
for (let i = 0; i < runs; i++) {
  cases.forEach(([, code], k) => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
    if (r.status !== 0) throw new Error(r.stderr);
    results[k].push(JSON.parse(r.stdout.trim()));
  });
}
cases.forEach(([name], k) => {
  const m = (key) => median(results[k].map((r) => r[key])).toFixed(key === 'rss' ? 1 : 0);
  console.log(`${name.padEnd(34)} rss ${m('rss')} MB  cpu ${m('cpu')} ms  wall ${m('wall')} ms`);
});
