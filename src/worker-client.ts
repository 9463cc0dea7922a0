import type { Worker } from 'node:worker_threads';

/** How a {@link workerClient} reads its worker's messages and ends the calls a stopped worker took with it. */
export interface WorkerProtocol<Res, Tag> {
  /** The reply to call `id` in a message from the worker, or undefined for any other message. */
  reply(message: unknown): { id: number; ok: Res } | { id: number; error: unknown } | undefined;
  /** How a call tagged `tag` ends when its worker stops before replying (`cause`: why, when known). */
  lost(tag: Tag, cause: Error | undefined): { ok: Res } | { error: unknown };
}

/** A worker thread answering requests by id (see {@link workerClient}). */
export interface WorkerClient<Req, Res, Tag> {
  /** Posts `req` (with an id added) and resolves with its reply; `transfer` moves memory instead of copying it. */
  call(req: Req, tag: Tag, transfer?: ArrayBuffer[]): Promise<Res>;
  /** Ends the worker, after `before` (e.g. a last request) when one is running; the next call starts another. */
  close(before?: () => Promise<unknown>): Promise<void>;
}

/**
 * The one request/reply mechanism of the project's worker threads (render, SMTP): the worker is
 * started on first use and again after it stops, kept referenced only while a call is in flight
 * (an idle worker must not keep the process alive), and a worker that crashes, runs out of its
 * heap or exits ends every call it held as `protocol.lost` says.
 */
export function workerClient<Req extends object, Res, Tag>(spawn: () => Worker, protocol: WorkerProtocol<Res, Tag>): WorkerClient<Req, Res, Tag> {
  let worker: Worker | undefined;
  let nextId = 0;
  const pending = new Map<number, { w: Worker; tag: Tag; resolve: (r: Res) => void; reject: (e: unknown) => void }>();

  // Ends the calls `w` held, also when `close` already let go of it (they never get a reply).
  function lost(w: Worker, cause?: Error): void {
    if (worker === w) worker = undefined;
    for (const [id, p] of pending) {
      if (p.w !== w) continue;
      pending.delete(id);
      const end = protocol.lost(p.tag, cause);
      if ('ok' in end) p.resolve(end.ok);
      else p.reject(end.error);
    }
  }

  function start(): Worker {
    const w = spawn();
    w.on('message', (message: unknown) => {
      const reply = protocol.reply(message);
      const p = reply && pending.get(reply.id);
      if (!reply || !p) return;
      pending.delete(reply.id);
      if (pending.size === 0) w.unref();
      if ('ok' in reply) p.resolve(reply.ok);
      else p.reject(reply.error);
    });
    w.on('error', (cause) => lost(w, cause));
    w.on('exit', () => lost(w));
    w.unref();
    return w;
  }

  return {
    call(req, tag, transfer = []) {
      const w = (worker ??= start());
      const id = nextId++;
      return new Promise<Res>((resolve, reject) => {
        pending.set(id, { w, tag, resolve, reject });
        w.ref();
        w.postMessage({ ...req, id }, transfer);
      });
    },
    async close(before) {
      const w = worker;
      if (!w) return;
      if (before) await before();
      worker = undefined;
      await w.terminate();
    },
  };
}

/**
 * The memory to move (not copy) between threads with a message: bytes made for this one message
 * that own their whole ArrayBuffer. Copying a 35 KB message cost the sending thread about as much
 * as splicing it. (Buffers from Node's shared pool, or a caller's, are copied.)
 */
export function ownMemory(bytes: Uint8Array): ArrayBuffer[] {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer ? [bytes.buffer] : [];
}
