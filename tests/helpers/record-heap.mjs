// Loaded with NODE_OPTIONS="--import …/tests/helpers/record-heap.mjs": appends this process's pid
// V8 heap limit in MB and MALLOC_ARENA_MAX, as a JSON line, to the file named by RECORD_HEAP_TO.
import { appendFileSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';

appendFileSync(process.env.RECORD_HEAP_TO, `${JSON.stringify({ pid: process.pid, heapLimitMb: Math.round(getHeapStatistics().heap_size_limit / 2 ** 20), arenas: process.env.MALLOC_ARENA_MAX ?? null })}\n`);
