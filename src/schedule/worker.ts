import { setTimeout as sleep } from 'node:timers/promises';
import { formatError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { DigestRunOptions, DigestRunSummary } from '../pipeline/digest-run.js';

/** What a worker needs: one send pass, and somewhere to log. */
export interface WorkerDeps {
  runDigest(options: DigestRunOptions): Promise<DigestRunSummary>;
  logger: Logger;
}

/** A running worker. */
export interface Worker {
  /** Stops taking new messages, finishes the one in flight, and resolves when done. */
  stop(): Promise<void>;
  /** Resolves when the loop has ended (after stop). */
  done: Promise<void>;
}

/**
 * The worker role: claim planned deliveries in leased batches and send them, over and over. It
 * never plans, so any number of workers can run against one PostgreSQL database; when there is
 * nothing to send it waits `idleMs` before looking again.
 */
export function startWorker(deps: WorkerDeps, options: { idleMs?: number; onlyEmail?: string } = {}): Worker {
  const abort = new AbortController();
  const idleMs = options.idleMs ?? 5_000;
  const done = (async () => {
    while (!abort.signal.aborted) {
      let busy = false;
      try {
        const s = await deps.runDigest({ now: new Date(), sendOnly: true, signal: abort.signal, ...(options.onlyEmail ? { onlyEmail: options.onlyEmail } : {}) });
        busy = s.sent + s.failed + s.deferred > 0;
        if (busy) deps.logger.info('worker batch', { sent: s.sent, failed: s.failed, deferred: s.deferred, uncertain: s.uncertain });
        if (s.stoppedBecause && !s.paused && !abort.signal.aborted) deps.logger.warn('worker pass stopped early', { why: s.stoppedBecause });
      } catch (err) {
        deps.logger.error('worker pass failed', { error: formatError(err) });
      }
      if (!busy) await sleep(idleMs, undefined, { signal: abort.signal }).catch(() => undefined);
    }
  })();
  return {
    done,
    stop: async () => {
      abort.abort();
      await done;
    },
  };
}
