import type { Store } from '../store/store.js';

/** Unconfirmed signups are kept this long, then deleted: they never agreed to anything. */
export const PENDING_SIGNUP_DAYS = 30;

const DAY_MS = 86_400_000;

/** What one retention pass removed. */
export interface RetentionResult {
  prunedDeliveries: number;
  deletedPending: number;
  /** Finished webhook deliveries (and their attempts) older than the ledger's retention. */
  prunedWebhookDeliveries: number;
}

/**
 * Applies the retention rules: ledger rows older than `deliveryDays` become per-day counts, finished
 * webhook deliveries that old are deleted, and signups pending for more than
 * {@link PENDING_SIGNUP_DAYS} are deleted. Cheap when there is
 * nothing to do, so the scheduler runs it on every tick.
 */
export async function applyRetention(store: Store, settings: { deliveryDays: number }, now: Date = new Date()): Promise<RetentionResult> {
  const beforeDate = new Date(now.getTime() - settings.deliveryDays * DAY_MS).toISOString().slice(0, 10);
  const pendingBefore = new Date(now.getTime() - PENDING_SIGNUP_DAYS * DAY_MS).toISOString();
  return store.transaction(async (tx) => ({
    prunedDeliveries: await tx.privacy.pruneDeliveries(beforeDate),
    deletedPending: await tx.privacy.deleteStalePending(pendingBefore),
    prunedWebhookDeliveries: await tx.webhooks.pruneFinished(`${beforeDate}T00:00:00.000Z`),
  }));
}
