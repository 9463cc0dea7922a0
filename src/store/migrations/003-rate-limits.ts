import type { Kysely } from 'kysely';

/**
 * A shared send-rate gate: one row per limit holding the next free slot (epoch ms), so every
 * worker on the database draws from the same budget.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rate_limits')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('next_ms', 'bigint', (c) => c.notNull())
    .execute();
}

/** Drops the gate. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rate_limits').execute();
}
