import { formatError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { DigestRunOptions, DigestRunSummary } from '../pipeline/digest-run.js';
import { startCronJob } from './cron-job.js';

/** What the scheduler needs: a way to run one pass, and somewhere to log. */
export interface SchedulerDeps {
  runDigest(options: DigestRunOptions): Promise<DigestRunSummary>;
  logger: Logger;
}

/** A running scheduler. */
export interface Scheduler {
  /** Runs one tick now (also what the cron expression triggers). */
  tick(): Promise<DigestRunSummary | undefined>;
  /**
   * Stops ticking; a tick in progress finishes the message in flight, leaves the rest planned,
   * and resolves once it has.
   */
  stop(): Promise<void>;
}

/**
 * Ticks the digest on a cron expression (default every 5 minutes). Each tick plans whoever's
 * local send time has passed today and who has no ledger row yet, so per-reader delivery time
 * needs no per-reader job. Ticks never overlap.
 */
export function startScheduler(deps: SchedulerDeps, expression: string, options: { runAtStart?: boolean; planOnly?: boolean } = {}): Scheduler {
  return startCronJob(
    'digest',
    expression,
    async (signal) => {
      // Another planner holding the lock is normal with several processes: stand by, still send.
      const summary = await deps.runDigest({ now: new Date(), signal, standbyIfLocked: true, planOnly: Boolean(options.planOnly) });
      const { wouldSend: _, uncertainDeliveries, ...line } = summary;
      if (summary.planned + summary.skipped + summary.sent + summary.failed + summary.uncertain + summary.deferred > 0) deps.logger.info('digest tick', line);
      else deps.logger.debug('digest tick: nobody due', line);
      if (summary.uncertain > 0) {
        deps.logger.warn('some deliveries are uncertain (no reply after DATA, or the sender died mid-send); they are not resent automatically', {
          uncertain: summary.uncertain,
          deliveries: (uncertainDeliveries ?? []).map((u) => `#${u.id} ${u.email} ${u.messageId ?? ''}`),
          fix: "check the relay's log for their Message-IDs (topic-digest deliveries list --uncertain), then topic-digest deliveries resolve <id…> --delivered or --not-delivered",
        });
      }
      return summary;
    },
    (err) => deps.logger.error('digest tick failed', { error: formatError(err) }),
    options,
  );
}
