import { randomUUID } from 'node:crypto';
import { formatError } from '../errors.js';
import type { PollOptions, PollReport } from '../ingest/poll-sources.js';
import type { Logger } from '../logger.js';
import type { LockRepository } from '../store/lock-repository.js';
import { startCronJob } from './cron-job.js';

/** What the poller needs: one poll pass, the store's locks, and somewhere to log. */
export interface SourcePollerDeps {
  pollSources(options: PollOptions): Promise<PollReport[]>;
  locks: LockRepository;
  logger: Logger;
}

/** A running poller. */
export interface SourcePoller {
  /** Polls the due sources now (what the cron expression triggers); undefined when another process polls. */
  tick(): Promise<PollReport[] | undefined>;
  /** Stops ticking; the source being fetched finishes, the rest wait for the next process. */
  stop(): Promise<void>;
}

/** Only one process polls at a time, so a feed is never fetched twice for one due time. */
export const POLLER_LOCK = 'source-poller';
const LOCK_TTL_SECONDS = 120;

function logReports(logger: Logger, reports: PollReport[]): void {
  for (const r of reports) {
    if (r.error) logger.warn('source poll failed', { source: r.id, url: r.url, status: r.status, error: r.error, nextDueAt: r.nextDueAt });
    else if (r.inserted + r.updated > 0) logger.info('source polled', { source: r.id, url: r.url, status: r.status, inserted: r.inserted, updated: r.updated });
    else logger.debug('source polled: nothing new', { source: r.id, url: r.url, status: r.status });
    for (const w of r.warnings) logger.warn('source item cut', { source: r.id, warning: w });
  }
}

/**
 * Polls due sources on a cron expression (SOURCES_POLL_CRON, every minute by default). Each
 * source keeps its own interval and backoff in the store; the cron only says how often to look.
 * Ticks never overlap, and the store lock keeps other processes on the database standing by.
 */
export function startSourcePoller(deps: SourcePollerDeps, expression: string, options: { runAtStart?: boolean } = {}): SourcePoller {
  const owner = `${process.pid}-${randomUUID().slice(0, 8)}`;
  return startCronJob(
    'sources',
    expression,
    async (stopping) => {
      const outcome = await deps.locks.withLock(POLLER_LOCK, owner, LOCK_TTL_SECONDS, (lost) => deps.pollSources({ signal: AbortSignal.any([stopping, lost]) }));
      if (!outcome.held) return undefined;
      logReports(deps.logger, outcome.value);
      return outcome.value;
    },
    (err) => deps.logger.error('source poll tick failed', { error: formatError(err) }),
    options,
  );
}
