import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect-helpers.js';
import { noteMigration } from './notes.js';

/**
 * One mailbox is one reader, and links stop counting readers.
 *
 * - `email_key`: the address lower-cased (src/model/subscriber.ts `emailKey`), unique. Readers
 *   that differ only in case are merged first: the oldest row stays, the others' topics and
 *   delivery history move to it, and each merge is reported.
 * - `public_id`: a random id per reader, unique, carried by links and tokens instead of the
 *   sequential row id. Old unsubscribe and preferences links still verify; old confirm links
 *   stop working (docs/web.md).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('subscribers').addColumn('email_key', 'text').execute();
  await db.schema.alterTable('subscribers').addColumn('public_id', 'text').execute();
  await sql`update subscribers set email_key = lower(trim(email))`.execute(db);
  const randomId = isPostgres(db) ? sql`substr(replace(gen_random_uuid()::text, '-', ''), 1, 20)` : sql`lower(hex(randomblob(10)))`;
  await sql`update subscribers set public_id = ${randomId}`.execute(db);
  await mergeCaseVariants(db);
  await db.schema.createIndex('subscribers_email_key_uq').on('subscribers').column('email_key').unique().execute();
  await db.schema.createIndex('subscribers_public_id_uq').on('subscribers').column('public_id').unique().execute();
}

/** Drops the columns (merged readers stay merged). */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('subscribers_public_id_uq').execute();
  await db.schema.dropIndex('subscribers_email_key_uq').execute();
  await db.schema.alterTable('subscribers').dropColumn('public_id').execute();
  await db.schema.alterTable('subscribers').dropColumn('email_key').execute();
}

interface Variant {
  id: number;
  email: string;
  name: string | null;
  status: string;
  timezone: string | null;
  hard_bounces: number;
  paused: number;
  created_at: string;
  updated_at: string;
  confirmed_at: string | null;
  unsubscribed_at: string | null;
}

async function mergeCaseVariants(db: Kysely<any>): Promise<void> {
  // One pass over the table (email_key has no index yet), then each group of variants in turn.
  const variants = (await db
    .selectFrom('subscribers')
    .selectAll()
    .where('email_key', 'in', db.selectFrom('subscribers').select('email_key').groupBy('email_key').having(sql`count(*)`, '>', 1))
    .orderBy('email_key')
    .orderBy('created_at')
    .orderBy('id')
    .execute()) as Array<Variant & { email_key: string }>;
  const groups = new Map<string, Variant[]>();
  for (const v of variants) {
    const group = groups.get(v.email_key) ?? [];
    group.push(v);
    groups.set(v.email_key, group);
  }
  for (const rows of groups.values()) {
    const [keep, ...others] = rows as [Variant, ...Variant[]];
    let movedDeliveries = 0;
    let droppedDeliveries = 0;
    for (const other of others) {
      await sql`insert into subscriber_topics (subscriber_id, topic_slug)
        select ${keep.id}, topic_slug from subscriber_topics
        where subscriber_id = ${other.id}
          and topic_slug not in (select topic_slug from subscriber_topics where subscriber_id = ${keep.id})`.execute(db);
      // One delivery per reader and day: a day both variants got stays recorded once, on the kept reader.
      const moved = await sql`update deliveries set subscriber_id = ${keep.id}
        where subscriber_id = ${other.id}
          and local_date not in (select local_date from deliveries where subscriber_id = ${keep.id})`.execute(db);
      movedDeliveries += Number(moved.numAffectedRows ?? 0);
      const left = await db.selectFrom('deliveries').select((eb) => eb.fn.countAll().as('n')).where('subscriber_id', '=', other.id).executeTakeFirst();
      droppedDeliveries += Number(left?.n ?? 0);
      await db.deleteFrom('subscribers').where('id', '=', other.id).execute();
    }
    const merged = mergedFields(rows);
    await db.updateTable('subscribers').set(merged).where('id', '=', keep.id).execute();
    noteMigration('merged readers whose addresses differ only in case', {
      kept: keep.email,
      merged: others.map((o) => o.email),
      status: merged.status,
      movedDeliveries,
      droppedDuplicateDays: droppedDeliveries,
    });
  }
}

/**
 * The merged reader's state. The latest explicit decision wins (a confirmation, an
 * unsubscription, a bounce), so an unconfirmed second signup never demotes an active reader and
 * an old subscription never overrides a later unsubscribe.
 */
function mergedFields(rows: Variant[]): Record<string, unknown> {
  const decisionAt = (r: Variant) => (r.status === 'active' ? r.confirmed_at : r.status === 'unsubscribed' ? r.unsubscribed_at : r.status === 'bounced' ? r.updated_at : null) ?? '';
  const decided = rows.filter((r) => r.status !== 'pending').sort((a, b) => decisionAt(b).localeCompare(decisionAt(a)));
  const winner = decided[0] ?? rows[0]!;
  return {
    status: winner.status,
    paused: winner.paused,
    confirmed_at: winner.confirmed_at,
    unsubscribed_at: winner.unsubscribed_at,
    name: rows.find((r) => r.name)?.name ?? null,
    timezone: rows.find((r) => r.timezone)?.timezone ?? null,
    hard_bounces: Math.max(...rows.map((r) => Number(r.hard_bounces))),
    updated_at: rows.map((r) => r.updated_at).sort().at(-1),
  };
}
