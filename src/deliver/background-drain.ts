import type { Logger } from '../logger.js';

/** A queue drained in the background of one process (transactional mail, webhooks). */
export interface BackgroundDrain {
  /** Drains soon; a kick during a drain runs one more pass after it, so nothing queued is missed. */
  kick(): void;
  /** Keeps kicking every `pollMs` until {@link stop} (start, serve and worker do this). */
  start(): void;
  /** Resolves once nothing is being drained. */
  idle(): Promise<void>;
  /** Stops kicking and waits for the pass in flight. */
  stop(): Promise<void>;
  /** True once {@link stop} was called. */
  readonly stopped: boolean;
}

/**
 * Runs `drain` one pass at a time, never concurrently with itself, logging (not throwing) a pass
 * that fails: the callers that kick it (pages, runs) must never wait on or fail by the queue.
 */
export function createBackgroundDrain(drain: () => Promise<void>, options: { logger: Logger; failure: string; pollMs: number }): BackgroundDrain {
  let stopped = false;
  let running: Promise<void> | undefined;
  let again = false;
  let poll: NodeJS.Timeout | undefined;

  function kick(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        await drain().catch((err: unknown) => options.logger.error(options.failure, { error: String(err) }));
      } while (again && !stopped);
    })().finally(() => (running = undefined));
  }

  return {
    kick,
    start() {
      if (poll || stopped) return;
      poll = setInterval(kick, options.pollMs);
      poll.unref();
      kick();
    },
    idle: async () => {
      while (running) await running;
    },
    stop: async () => {
      stopped = true;
      if (poll) clearInterval(poll);
      while (running) await running;
    },
    get stopped() {
      return stopped;
    },
  };
}
