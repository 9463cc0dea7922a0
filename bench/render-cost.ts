import { parseArgs } from 'node:util';
import { createEditionRenderer, type EditionRenderer } from '../src/render/edition-renderer.js';
import { createWorkerEditionRenderer } from '../src/render/worker-renderer.js';
import { benchEditions, variedEditions } from './render-editions.js';

/**
 * What rendering one edition costs, in-process: `createEditionRenderer(...).render()` over a
 * fixed set of editions, one warm-up pass, then the median of several passes, as wall time and
 * as this process's CPU time per edition. Run it with NODE_ENV=production (React's development
 * build is several times slower and is not what the render worker runs):
 *
 *   npm run prebench && NODE_ENV=production node dist/bench/render-cost.js [--editions 400] [--passes 5] [--kind bench|unique|varied]
 *   NODE_ENV=production node --cpu-prof bin/run-ts.js bench/render-cost.ts [--via worker]
 */

const { values } = parseArgs({
  options: {
    editions: { type: 'string', default: '400' },
    passes: { type: 'string', default: '5' },
    kind: { type: 'string', default: 'bench' },
    /** `worker`: through the bounded render worker the app uses (CPU then counts both threads). */
    via: { type: 'string', default: 'process' },
    json: { type: 'boolean', default: false },
  },
});

const count = Number(values.editions);
const passes = Number(values.passes);
if (process.env.NODE_ENV !== 'production') console.error('warning: NODE_ENV is not "production"; React runs its slow development build');
const editions = values.kind === 'varied' ? variedEditions(count) : benchEditions(count, 7, values.kind !== 'unique');
const options = { senderName: 'Bench Daily', senderAddress: '1 Bench Street, Example City', publicUrl: 'https://news.example' };

// A fresh renderer each pass: what it keeps between editions (stories' markup) starts cold, as each day does.
async function pass(): Promise<{ wallMs: number; cpuMs: number; bytes: number }> {
  const worker = values.via === 'worker' ? createWorkerEditionRenderer(options) : null;
  const renderer: EditionRenderer = worker ?? createEditionRenderer(options);
  if (worker) await renderer.render(editions[0]!); // the worker's start-up is not rendering
  const cpu = process.cpuUsage();
  const started = performance.now();
  let bytes = 0;
  for (const edition of editions) bytes += (await renderer.render(edition)).html.length;
  const used = process.cpuUsage(cpu);
  await worker?.close();
  return { wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000, bytes };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

await pass(); // warm-up: JIT, template compilation, ICU data
const runs: Array<{ wallMs: number; cpuMs: number; bytes: number }> = [];
for (let i = 0; i < passes; i++) runs.push(await pass());
const result = {
  kind: `${values.kind} via ${values.via}`,
  editions: count,
  passes,
  wallMsPerEdition: Number((median(runs.map((r) => r.wallMs)) / count).toFixed(3)),
  cpuMsPerEdition: Number((median(runs.map((r) => r.cpuMs)) / count).toFixed(3)),
  passWallMs: runs.map((r) => Math.round(r.wallMs)),
  htmlCharsPerEdition: Math.round(runs[0]!.bytes / count),
};
console.log(values.json ? JSON.stringify(result) : `render ${result.kind}: ${result.wallMsPerEdition} ms wall, ${result.cpuMsPerEdition} ms CPU per edition (median of ${passes} passes over ${count} editions; passes ${result.passWallMs.join(', ')} ms; ${result.htmlCharsPerEdition} chars of HTML each)`);
