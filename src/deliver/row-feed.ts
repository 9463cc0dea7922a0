/**
 * Lets a send pass run while the rows it sends are still being planned: the planner says "more
 * rows recorded" after each page and "done" (or "failed") at the end; a send pass that finds
 * nothing planned waits for the next word instead of ending. Rows are claimed one by one in the
 * store, so rows recorded while the pass runs are simply more rows: exactly-once is unchanged.
 */
export class RowFeed {
  private generation = 0;
  private closed = false;
  private failedBecause: string | undefined;
  private waiters: Array<() => void> = [];

  /** A stamp to pass to `wait()`: taken before a claim, so rows recorded during it are not missed. */
  get stamp(): number {
    return this.generation;
  }

  /** True while more rows may still be recorded. */
  get open(): boolean {
    return !this.closed;
  }

  /** Why planning stopped early, if it did: the send pass stops too (in-flight messages finish). */
  get failure(): string | undefined {
    return this.failedBecause;
  }

  /** A page's rows were recorded. */
  recorded(): void {
    this.generation++;
    this.wakeAll();
  }

  /** Planning is over: nothing more will be recorded. */
  finish(): void {
    this.closed = true;
    this.recorded();
  }

  /** Planning stopped early (`why` is reported): the send pass takes no new deliveries. */
  fail(why: string): void {
    this.failedBecause ??= why;
    this.finish();
  }

  /** Wakes anyone waiting without news (the pass is stopping), so they look at why. */
  poke(): void {
    this.wakeAll();
  }

  /** Resolves once something was recorded after `stamp`, planning ended, or `poke()` was called. */
  wait(stamp: number): Promise<void> {
    if (this.generation !== stamp || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private wakeAll(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const wake of waiting) wake();
  }
}

/**
 * Wraps a batch claim for a send pass: while `feed` is open, an empty claim waits for the next
 * recorded page, lets `beforeRetry` look again (the pause switch), and claims again; it returns
 * empty once planning is over and nothing is left, or when `stopped()`. Without a feed it is `claim`.
 */
export function claimWhilePlanning<T>(claim: () => Promise<T[]>, feed: RowFeed | undefined, stopped: () => boolean, beforeRetry: () => Promise<void>): () => Promise<T[]> {
  if (!feed) return claim;
  return async () => {
    for (;;) {
      // Read before the claim: rows recorded while it runs bump the stamp, so wait() returns at once.
      const stamp = feed.stamp;
      const open = feed.open;
      const rows = await claim();
      if (rows.length > 0 || !open || stopped()) return rows;
      await feed.wait(stamp);
      await beforeRetry();
      if (stopped()) return [];
    }
  };
}
