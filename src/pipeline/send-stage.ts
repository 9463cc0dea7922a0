import type { RowFeed } from '../deliver/row-feed.js';
import { PAUSED, sendPlanned, type SendResult } from '../deliver/send-run.js';
import type { RunContext } from './run-context.js';

/**
 * The requeue stage, before sending: takes over the rows of senders that are gone (right after a
 * crash, a dead sender's unstarted rows are sent now and its in-flight ones reported), requeues
 * uncertain rows when the operator asked, and skips rows of readers who left or are suppressed.
 */
async function readyTheLedger(ctx: RunContext, owner: string): Promise<void> {
  const { store, logger } = ctx.deps;
  const takeover = await store.leases.takeOverDeadOwners(owner, ctx.clock());
  if (takeover.freed + takeover.uncertain > 0) logger.warn('took over the deliveries of a sender that is gone', { ...takeover });
  if (ctx.options.requeueUncertain) {
    const requeued = await store.deliveries.requeueUncertain(ctx.options.onlyEmail);
    logger.info('requeued uncertain deliveries on request', { requeued });
  }
  const inactive = await store.ledger.skipUndeliverable(ctx.clock().toISOString());
  if (inactive > 0) logger.info('skipped planned digests of readers who left or paused', { skipped: inactive });
  const suppressed = await store.feedback.skipSuppressed(ctx.clock().toISOString());
  if (suppressed > 0) logger.info('skipped planned digests of suppressed addresses', { skipped: suppressed });
}

/**
 * The send stage: readies the ledger, sends everything planned as `owner`, then reports what it
 * did. With a `feed`, it runs while planning goes on and ends once planning is over and nothing is left.
 */
export async function sendStage(ctx: RunContext, owner: string, feed?: RowFeed): Promise<void> {
  const started = performance.now();
  await readyTheLedger(ctx, owner);
  const { deps, options } = ctx;
  const { store, mailer, links, compilePersonaliser, logger, settings } = deps;
  const sent = await sendPlanned(
    { ledger: store.ledger, editions: store.editions, subscribers: store.subscribers, mailer, links, compilePersonaliser, logger },
    {
      owner,
      now: ctx.clock,
      leaseSeconds: settings.leaseSeconds,
      concurrency: settings.concurrency,
      // A few messages per connection: enough to keep the pool busy, small enough that several
      // workers share an edition and a dead worker strands little behind its lease.
      batchSize: settings.concurrency * 4,
      bounceLimit: settings.bounceLimit,
      listId: settings.listId,
      fromAddress: settings.fromAddress,
      ...(settings.unsubscribeMailto ? { unsubscribeMailto: settings.unsubscribeMailto } : {}),
      ...(settings.retryBaseMs !== undefined ? { retryBaseMs: settings.retryBaseMs } : {}),
      ...(deps.waitForSendSlot ? { waitForSlot: deps.waitForSendSlot } : {}),
      ...(deps.envelopeFrom ? { envelopeFrom: deps.envelopeFrom } : {}),
      ...(deps.onSmtpLatency ? { onSmtpLatency: deps.onSmtpLatency } : {}),
      ...(options.onlyEmail ? { onlyEmail: options.onlyEmail } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(feed ? { feed } : {}),
      isPaused: async () => (await store.admin.pauseState()).paused,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    },
  );
  options.onStage?.('send', performance.now() - started);
  tallySend(ctx, sent);
  await reportUncertain(ctx);
}

function tallySend(ctx: RunContext, sent: SendResult): void {
  const { summary } = ctx;
  Object.assign(summary, { sent: sent.sent, failed: sent.failed, bounced: sent.bounced, deferred: sent.deferred });
  if (sent.stoppedBecause) summary.stoppedBecause ??= sent.stoppedBecause;
  if (sent.stoppedBecause === PAUSED) {
    summary.paused = true;
    ctx.deps.logger.warn('all sending paused: this run stopped taking new deliveries', { sent: sent.sent });
  }
  if (sent.storeFailed) summary.storeFailed = true;
}

/** Counts and names the unsettled uncertain rows for the summary. */
async function reportUncertain(ctx: RunContext): Promise<void> {
  const { summary } = ctx;
  summary.uncertain = await ctx.deps.store.deliveries.countUncertain();
  if (summary.uncertain > 0) summary.uncertainDeliveries = await ctx.deps.store.deliveries.listUncertain(20);
}
