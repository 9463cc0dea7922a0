/**
 * A small in-memory limiter keyed by email address. The per-IP limit (@fastify/rate-limit) stops
 * one client flooding the form; this one stops many clients flooding one inbox with
 * confirmation emails. Counts are kept per process, which is enough for a single web server.
 */

/** Options for {@link AddressRateLimiter}. */
export interface AddressRateLimiterOptions {
  /** Attempts allowed per address within the window. */
  max: number;
  windowMs: number;
  /** Injected for tests. */
  now?: () => number;
}

/** Counts attempts per key in a sliding window. */
export class AddressRateLimiter {
  private readonly hits = new Map<string, number[]>();
  private readonly now: () => number;

  constructor(private readonly options: AddressRateLimiterOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * Records an attempt for `key` and says whether it is within the limit. Refused attempts are
   * not recorded, so a flood does not extend the block forever.
   */
  tryConsume(key: string): boolean {
    const now = this.now();
    const since = now - this.options.windowMs;
    const recent = (this.hits.get(key) ?? []).filter((t) => t > since);
    if (recent.length >= this.options.max) {
      this.hits.set(key, recent);
      return false;
    }
    recent.push(now);
    this.hits.set(key, recent);
    if (this.hits.size > 10_000) this.prune(since);
    return true;
  }

  // Keeps memory bounded when many different addresses are tried.
  private prune(since: number): void {
    for (const [key, times] of this.hits) {
      const recent = times.filter((t) => t > since);
      if (recent.length === 0) this.hits.delete(key);
      else this.hits.set(key, recent);
    }
  }
}
