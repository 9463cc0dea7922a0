import type { SinkHandle } from './sink-client.js';

/** What a timed replay through an SMTP pool found. */
export interface ReplayResult {
  messages: number;
  ms: number;
  messagesPerSecond: number;
  sinkCounted: number;
  bytesPerMessage: number;
}

/**
 * Sends `count` prepared messages with as many workers as the pool has connections, timing only
 * the sending, and reads the sink's counters around it. `send(i)` sends message i.
 */
export async function replayThroughPool(sink: SinkHandle, connections: number, count: number, send: (i: number) => Promise<unknown>): Promise<ReplayResult> {
  const before = await sink.count();
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) await send(next++);
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const ms = performance.now() - started;
  const after = await sink.count();
  const counted = after.count - before.count;
  return {
    messages: count,
    ms,
    messagesPerSecond: (count / ms) * 1000,
    sinkCounted: counted,
    bytesPerMessage: counted > 0 ? (after.bytes - before.bytes) / counted : 0,
  };
}
