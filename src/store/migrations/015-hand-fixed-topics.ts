import type { Kysely } from 'kysely';

/**
 * Hand-fixed topics: when an editor sets an article's topics in the console, the article keeps
 * them through every re-poll and re-import (which otherwise replace its topic links with the
 * source's categories or the keyword tagger's). The mark is on the article, not on each link, so
 * a topic the editor took off stays off as surely as one they added stays on.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('articles').addColumn('topics_fixed_at', 'text').execute();
  // The console user who fixed them, for the articles page and the log.
  await db.schema.alterTable('articles').addColumn('topics_fixed_by', 'text').execute();
}

/** Drops the two columns. */
export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['topics_fixed_by', 'topics_fixed_at']) await db.schema.alterTable('articles').dropColumn(column).execute();
}
