import type { Kysely } from 'kysely';

/**
 * Bylines and photo sizes, and list headers on queued mail: the digest shows "By …" when the source names an author, and sizes each
 * `<img>` from the source's own width and height (so Outlook does not stretch it and phones keep
 * its shape). All three are optional: older rows and sources without them stay valid.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('articles').addColumn('author', 'text').execute();
  await db.schema.alterTable('articles').addColumn('image_width', 'integer').execute();
  await db.schema.alterTable('articles').addColumn('image_height', 'integer').execute();
  // The welcome email is list mail: its List-Unsubscribe headers travel with it through the queue.
  await db.schema.alterTable('mail_queue').addColumn('list_headers', 'text').execute();
}

/** Drops the three columns. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('mail_queue').dropColumn('list_headers').execute();
  for (const column of ['image_height', 'image_width', 'author']) await db.schema.alterTable('articles').dropColumn(column).execute();
}
