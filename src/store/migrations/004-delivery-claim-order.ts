import type { Kysely } from 'kysely';

/**
 * Senders claim planned rows grouped by edition, so each worker compiles an edition's
 * personaliser once and reuses it for the readers that follow; this index serves that order.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('deliveries_claim_idx').on('deliveries').columns(['status', 'edition_key', 'id']).execute();
  // Its leading column serves every status filter the old (status, id) index did; one index
  // fewer to update on each state change of the send loop.
  await db.schema.dropIndex('deliveries_status_idx').execute();
}

/** Drops the index. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('deliveries_status_idx').on('deliveries').columns(['status', 'id']).execute();
  await db.schema.dropIndex('deliveries_claim_idx').execute();
}
