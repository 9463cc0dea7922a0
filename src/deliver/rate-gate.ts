import { setTimeout as sleep } from 'node:timers/promises';
import type { RateLimitRepository } from '../store/rate-limit-repository.js';

/**
 * A global send rate: each message reserves the next slot in the store, so the limit holds for
 * all workers together, not per process. Returns undefined when there is no limit.
 */
export function createRateGate(repo: Pick<RateLimitRepository, 'reserve'>, perSecond: number, name = 'smtp'): (() => Promise<void>) | undefined {
  if (!(perSecond > 0)) return undefined;
  const intervalMs = 1000 / perSecond;
  return async () => {
    const at = await repo.reserve(name, intervalMs, Date.now());
    const wait = at - Date.now();
    if (wait > 0) await sleep(wait);
  };
}
