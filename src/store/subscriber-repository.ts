import { randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import { emailKey, type ReaderChoices, type Subscriber, type SubscriberInput, type SubscriberStatus, type Weekday } from '../model/subscriber.js';
import { chunked } from './chunks.js';
import type { Db } from './database.js';
import { addressOrNameContains } from './text-match.js';
import type { SubscribersTable } from './schema.js';

/** Reads and writes readers and the topics they follow. */
export class SubscriberRepository {
  constructor(private readonly db: Db) {}

  /**
   * Creates the reader or updates name, timezone, topics and status in place. The mailbox is
   * matched whatever the case (`emailKey`); an existing reader keeps the address as first typed.
   * A new reader gets a fresh signing key and public id; an existing one keeps theirs, so links
   * already sent keep working.
   */
  async upsert(input: SubscriberInput, now: string): Promise<{ id: number; inserted: boolean }> {
    const found = await this.db.selectFrom('subscribers').select(['id']).where('email_key', '=', emailKey(input.email)).executeTakeFirst();
    let id: number;
    if (found) {
      id = found.id;
      await this.db
        .updateTable('subscribers')
        .set({ name: input.name, timezone: input.timezone, status: input.status, updated_at: now, ...statusStamps(input.status, now), ...choiceColumns(input.choices) })
        .where('id', '=', id)
        .execute();
    } else {
      const row = await this.db
        .insertInto('subscribers')
        .values({
          email: input.email,
          email_key: emailKey(input.email),
          public_id: newPublicId(),
          name: input.name,
          timezone: input.timezone,
          status: input.status,
          signing_key: randomBytes(16).toString('hex'),
          created_at: now,
          updated_at: now,
          confirmed_at: input.status === 'active' ? now : null,
          unsubscribed_at: null,
          ...choiceColumns(input.choices),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      id = Number(row.id);
    }
    await this.setTopics(id, input.topics);
    return { id, inserted: !found };
  }

  /** Replaces the topics a reader follows. */
  async setTopics(id: number, topics: string[]): Promise<void> {
    await this.db.deleteFrom('subscriber_topics').where('subscriber_id', '=', id).execute();
    const unique = [...new Set(topics)];
    if (unique.length > 0) {
      await this.db
        .insertInto('subscriber_topics')
        .values(unique.map((topic_slug) => ({ subscriber_id: id, topic_slug })))
        .execute();
    }
  }

  /** Moves a reader to a new status, stamping confirmation or unsubscription time. */
  async setStatus(id: number, status: SubscriberStatus, now: string): Promise<void> {
    await this.db
      .updateTable('subscribers')
      .set({ status, updated_at: now, ...statusStamps(status, now) })
      .where('id', '=', id)
      .execute();
  }

  /** Updates profile fields a reader may change on the preferences page. */
  async updateProfile(id: number, fields: { name?: string | null; timezone?: string | null; paused?: boolean }, now: string): Promise<void> {
    await this.db
      .updateTable('subscribers')
      .set({
        ...(fields.name !== undefined ? { name: fields.name } : {}),
        ...(fields.timezone !== undefined ? { timezone: fields.timezone } : {}),
        ...(fields.paused !== undefined ? { paused: fields.paused ? 1 : 0 } : {}),
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
  }

  /** Saves how often and when a reader gets their digest. */
  async setChoices(id: number, choices: ReaderChoices, now: string): Promise<void> {
    await this.db
      .updateTable('subscribers')
      .set({ ...choiceColumns(choices), updated_at: now })
      .where('id', '=', id)
      .execute();
  }

  /** Counts a hard bounce and returns the new total. */
  async recordHardBounce(id: number, now: string): Promise<number> {
    await this.db
      .updateTable('subscribers')
      .set((eb) => ({ hard_bounces: eb('hard_bounces', '+', 1), updated_at: now }))
      .where('id', '=', id)
      .execute();
    const r = await this.db.selectFrom('subscribers').select('hard_bounces').where('id', '=', id).executeTakeFirst();
    return Number(r?.hard_bounces ?? 0);
  }

  /** The reader with this address in any case, if any. */
  async findByEmail(email: string): Promise<Subscriber | undefined> {
    const row = await this.db.selectFrom('subscribers').selectAll().where('email_key', '=', emailKey(email)).executeTakeFirst();
    return row ? (await this.withTopics([row]))[0] : undefined;
  }

  /**
   * Id and status of each of these addresses that is stored in any case, keyed by `emailKey`.
   * Lets a bulk import decide per row without one query each.
   */
  async statusesByEmail(emails: readonly string[]): Promise<Map<string, { id: number; status: SubscriberStatus }>> {
    const found = new Map<string, { id: number; status: SubscriberStatus }>();
    const unique = [...new Set(emails.map(emailKey))];
    for (const chunk of chunked(unique)) {
      const rows = await this.db.selectFrom('subscribers').select(['id', 'email_key', 'status']).where('email_key', 'in', chunk).execute();
      for (const r of rows) found.set(r.email_key, { id: r.id, status: r.status });
    }
    return found;
  }

  /** The reader a link or token names by its public id, if any. */
  async findByPublicId(publicId: string): Promise<Subscriber | undefined> {
    const row = await this.db.selectFrom('subscribers').selectAll().where('public_id', '=', publicId).executeTakeFirst();
    return row ? (await this.withTopics([row]))[0] : undefined;
  }

  /** The reader with this id, if any. */
  async findById(id: number): Promise<Subscriber | undefined> {
    const row = await this.db.selectFrom('subscribers').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? (await this.withTopics([row]))[0] : undefined;
  }

  /** Every reader ordered by id, optionally only those with a status. */
  async list(filter: { status?: SubscriberStatus } = {}): Promise<Subscriber[]> {
    // Erased readers' stubs are not readers any more.
    let q = this.db.selectFrom('subscribers').selectAll().where('erased_at', 'is', null);
    if (filter.status) q = q.where('status', '=', filter.status);
    return this.withTopics(await q.orderBy('id').execute());
  }

  /**
   * One page of readers for the admin API, in id order after `afterId` (keyset paging: stable
   * while readers are added or removed, and as cheap on page 1,000 as on page 1). Filters combine;
   * `query` matches part of the address or name. Erased readers' stubs are never listed.
   */
  async page(filter: SubscriberPageFilter, afterId: number, limit: number): Promise<Subscriber[]> {
    let q = this.db.selectFrom('subscribers').selectAll().where('erased_at', 'is', null).where('id', '>', afterId);
    if (filter.status) q = q.where('status', '=', filter.status);
    if (filter.email) q = q.where('email_key', '=', emailKey(filter.email));
    if (filter.query) q = q.where(addressOrNameContains(filter.query));
    if (filter.topic) {
      const topic = filter.topic;
      q = q.where((eb) => eb.exists(eb.selectFrom('subscriber_topics as t').select('t.subscriber_id').whereRef('t.subscriber_id', '=', 'subscribers.id').where('t.topic_slug', '=', topic)));
    }
    return this.withTopics(await q.orderBy('id').limit(limit).execute());
  }

  /**
   * One page of active, unpaused readers with id above `afterId`. Paging by id keeps memory flat
   * however many readers there are.
   */
  async pageActive(afterId: number, limit: number): Promise<Subscriber[]> {
    const rows = await this.db
      .selectFrom('subscribers')
      .selectAll()
      .where('status', '=', 'active')
      .where('paused', '=', 0)
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
    return this.withTopics(rows);
  }

  /** Deletes a reader and, by cascade, everything recorded about them. Returns whether one existed. */
  async remove(email: string): Promise<boolean> {
    const r = await this.db.deleteFrom('subscribers').where('email_key', '=', emailKey(email)).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** Total readers. */
  async count(): Promise<number> {
    const r = await this.db.selectFrom('subscribers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  private async withTopics(rows: Selectable<SubscribersTable>[]): Promise<Subscriber[]> {
    if (rows.length === 0) return [];
    const links = await this.db
      .selectFrom('subscriber_topics')
      .innerJoin('topics', 'topics.slug', 'subscriber_topics.topic_slug')
      .select(['subscriber_topics.subscriber_id', 'subscriber_topics.topic_slug'])
      .where('subscriber_topics.subscriber_id', 'in', rows.map((r) => r.id))
      .orderBy('topics.position')
      .execute();
    const by = new Map<number, string[]>();
    for (const l of links) {
      const list = by.get(l.subscriber_id) ?? [];
      list.push(l.topic_slug);
      by.set(l.subscriber_id, list);
    }
    return rows.map((r) => ({
      id: r.id,
      publicId: r.public_id,
      email: r.email,
      name: r.name,
      status: r.status,
      timezone: r.timezone,
      topics: by.get(r.id) ?? [],
      signingKey: r.signing_key,
      hardBounces: r.hard_bounces,
      paused: r.paused === 1,
      createdAt: r.created_at,
      confirmedAt: r.confirmed_at,
      unsubscribedAt: r.unsubscribed_at,
      frequency: r.frequency,
      weekday: (r.weekday as Weekday | null) ?? null,
      sendTime: r.send_time ?? null,
    }));
  }
}

/** What {@link SubscriberRepository.page} can filter by. */
export interface SubscriberPageFilter {
  status?: SubscriberStatus | undefined;
  topic?: string | undefined;
  /** The exact address, in any case. */
  email?: string | undefined;
  /** Part of the address or name, in any case. */
  query?: string | undefined;
}

/** 80 random bits as 20 hex digits: unguessable, and says nothing about how many readers there are. */
export function newPublicId(): string {
  return randomBytes(10).toString('hex');
}

function statusStamps(status: SubscriberStatus, now: string): Partial<Pick<SubscribersTable, 'confirmed_at' | 'unsubscribed_at'>> {
  if (status === 'active') return { confirmed_at: now, unsubscribed_at: null };
  if (status === 'unsubscribed') return { unsubscribed_at: now };
  return {};
}

function choiceColumns(choices: ReaderChoices | undefined): Partial<Pick<SubscribersTable, 'weekday' | 'send_time'>> & { frequency?: ReaderChoices['frequency'] } {
  return choices ? { frequency: choices.frequency, weekday: choices.weekday, send_time: choices.sendTime } : {};
}
