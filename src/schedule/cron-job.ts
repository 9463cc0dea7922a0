import cron, { type ScheduledTask } from 'node-cron';

/** A job run on a cron expression. */
export interface CronJob<T> {
  /** Runs the job now (also what the cron expression triggers); a run in progress is joined, never doubled. */
  tick(): Promise<T | undefined>;
  /** Stops the schedule, aborts the job's signal and waits for a run in progress to finish. */
  stop(): Promise<void>;
}

/**
 * Runs `run` on `expression` (and at once unless `runAtStart` is false). Runs never overlap; a
 * failed run is handed to `onError` and the schedule goes on. The scheduler and the source poller
 * share this, so both stop the same way on SIGTERM.
 */
export function startCronJob<T>(
  name: string,
  expression: string,
  run: (signal: AbortSignal) => Promise<T | undefined>,
  onError: (err: unknown) => void,
  options: { runAtStart?: boolean } = {},
): CronJob<T> {
  const abort = new AbortController();
  let running: Promise<T | undefined> | undefined;
  const tick = (): Promise<T | undefined> => {
    if (running) return running;
    running = (async () => {
      try {
        return await run(abort.signal);
      } catch (err) {
        onError(err);
        return undefined;
      } finally {
        running = undefined;
      }
    })();
    return running;
  };
  const task: ScheduledTask = cron.schedule(expression, () => tick(), { name, noOverlap: true });
  if (options.runAtStart !== false) void tick();
  return {
    tick,
    stop: async () => {
      await task.stop();
      await task.destroy();
      abort.abort();
      await running;
    },
  };
}
