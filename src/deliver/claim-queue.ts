import type { DeliveryJob } from '../store/delivery-ledger.js';

/**
 * The deliveries this sender has leased and not yet started, refilled a batch at a time as the
 * workers drain it. One claim runs at a time however many workers wait: concurrent claims would
 * lease rows nobody is ready to send.
 */
export class ClaimQueue {
  private queue: DeliveryJob[] = [];
  private exhausted = false;
  private refill: Promise<void> | undefined;

  /** `claimBatch` leases the next batch; an empty batch means nothing is left to send. */
  constructor(private readonly claimBatch: () => Promise<DeliveryJob[]>) {}

  /** True when no leased job is waiting (the next `next()` claims). */
  get empty(): boolean {
    return this.queue.length === 0;
  }

  /** The next job, or undefined when nothing is left or `stopped()` says the pass is ending. */
  async next(stopped: () => boolean): Promise<DeliveryJob | undefined> {
    while (this.queue.length === 0 && !this.exhausted && !stopped()) {
      this.refill ??= this.claimBatch()
        .then((page) => {
          if (page.length === 0) this.exhausted = true;
          this.queue = this.queue.concat(page);
        })
        .finally(() => (this.refill = undefined));
      await this.refill;
    }
    return stopped() ? undefined : this.queue.shift();
  }

  /** Ids of leased jobs never started (the pass stopped early), so they can be given back. */
  unstarted(): number[] {
    return this.queue.map((j) => j.id);
  }
}
