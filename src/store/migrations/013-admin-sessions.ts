import type { Kysely } from 'kysely';

/**
 * The console's sign-in: one-time login tokens and server-side sessions. Both keep only a
 * SHA-256 of the secret, so a copy of the database cannot be used to sign in.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('admin_login_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema
    .createTable('admin_sessions')
    .addColumn('session_hash', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
}

/** Drops the two tables. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('admin_sessions').execute();
  await db.schema.dropTable('admin_login_tokens').execute();
}
