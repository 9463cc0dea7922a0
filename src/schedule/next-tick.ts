import cron from 'node-cron';

/**
 * When a cron expression fires next, read with node-cron's own matcher (the one the scheduler
 * runs on), so the console can never disagree with the schedule. The scheduler gives node-cron
 * no timezone, so DIGEST_CRON is read in the server process's local zone; so is this.
 */

/** The next instant `expression` fires after now, or null for an expression that never does. */
export function nextCronTick(expression: string): Date | null {
  // createTask builds a stopped task: nothing is scheduled, and destroy() unregisters it.
  const task = cron.createTask(expression, () => undefined);
  try {
    return task.getNextRuns(1)[0] ?? null;
  } finally {
    void task.destroy();
  }
}

/** The zone the server process reads cron expressions in (TZ, or the system's). */
export function processTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
