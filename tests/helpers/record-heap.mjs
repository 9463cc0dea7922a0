// Loaded with NODE_OPTIONS="--import …/tests/helpers/record-heap.mjs": appends this process's pid
// and V8 heap limit in MB, as a JSON line, to the file named by RECORD_HEAP_TO.
import { appendFileSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';

appendFileSync(process.env.RECORD_HEAP_TO, `${JSON.stringify({ pid: process.pid, heapLimitMb: Math.round(getHeapStatistics().heap_size_limit / 2 ** 20) })}\n`);
