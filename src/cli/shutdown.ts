import type { Logger } from '../logger.js';

/** Resolves with the name of the first SIGINT or SIGTERM, so long-running commands can stop cleanly. */
export function waitForShutdownSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const handler = (signal: NodeJS.Signals) => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
      resolve(signal);
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  });
}

/**
 * Runs a job with an AbortSignal that SIGINT/SIGTERM trigger, so a one-off command stops between
 * messages (the one in flight is finished and recorded) instead of dying mid-send. A second
 * signal exits at once.
 */
export async function withInterruptions<T>(logger: Logger, job: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(130);
    logger.warn(`${signal} received: finishing the message in flight; press again to quit at once`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await job(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
