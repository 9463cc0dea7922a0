import type { Selectable } from 'kysely';
import type { Db } from './database.js';
import type { SourcesTable } from './schema.js';

/** A polled source as the rest of the program sees it. */
export interface Source {
  id: number;
  url: string;
  name: string | null;
  /** Topic slugs added to every item from this source. */
  topics: string[];
  everySeconds: number;
  etag: string | null;
  lastModified: string | null;
  lastFetchedAt: string | null;
  /** An HTTP status ('200', '304', '500') or 'error' when no answer came. */
  lastStatus: string | null;
  lastError: string | null;
  /** Items in the last document fetched. */
  itemsSeen: number;
  nextDueAt: string;
  /** Failures in a row; one success resets it. */
  failures: number;
  createdAt: string;
}

/** What {@link SourceRepository.add} needs. */
export interface NewSource {
  url: string;
  name: string | null;
  topics: string[];
  everySeconds: number;
}

/** The outcome of one poll, as stored on the source. */
export interface PollOutcome {
  fetchedAt: string;
  status: string;
  error: string | null;
  nextDueAt: string;
  failures: number;
  /** New validators; undefined keeps the stored ones (a 304 or a failure). */
  etag?: string | null;
  lastModified?: string | null;
  itemsSeen?: number;
}

/** Reads and writes polled sources. */
export class SourceRepository {
  constructor(private readonly db: Db) {}

  /** Adds a source, due at once. Returns undefined when the URL is already a source. */
  async add(source: NewSource, now: string): Promise<Source | undefined> {
    const row = await this.db
      .insertInto('sources')
      .values({ url: source.url, name: source.name, topics: JSON.stringify(source.topics), every_seconds: source.everySeconds, next_due_at: now, created_at: now, items_seen: 0, failures: 0 })
      .onConflict((oc) => oc.column('url').doNothing())
      .returningAll()
      .executeTakeFirst();
    return row ? toSource(row) : undefined;
  }

  /** Every source, oldest first. */
  async list(): Promise<Source[]> {
    return (await this.db.selectFrom('sources').selectAll().orderBy('id').execute()).map(toSource);
  }

  /** Sources whose next poll is due at `now`, most overdue first. */
  async due(now: string): Promise<Source[]> {
    const rows = await this.db.selectFrom('sources').selectAll().where('next_due_at', '<=', now).orderBy('next_due_at').orderBy('id').execute();
    return rows.map(toSource);
  }

  /** The source with this id or URL. */
  async find(idOrUrl: string): Promise<Source | undefined> {
    const q = this.db.selectFrom('sources').selectAll();
    const row = /^\d+$/.test(idOrUrl) ? await q.where('id', '=', Number(idOrUrl)).executeTakeFirst() : await q.where('url', '=', idOrUrl).executeTakeFirst();
    return row ? toSource(row) : undefined;
  }

  /** Removes a source (its stories stay). Returns whether one was removed. */
  async remove(id: number): Promise<boolean> {
    const r = await this.db.deleteFrom('sources').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** Stores how a poll went: status, error, schedule and (when given) validators and item count. */
  async recordPoll(id: number, o: PollOutcome): Promise<void> {
    await this.db
      .updateTable('sources')
      .set({
        last_fetched_at: o.fetchedAt,
        last_status: o.status,
        last_error: o.error,
        next_due_at: o.nextDueAt,
        failures: o.failures,
        ...(o.failures === 0 ? { last_success_at: o.fetchedAt } : {}),
        ...(o.etag !== undefined ? { etag: o.etag } : {}),
        ...(o.lastModified !== undefined ? { last_modified: o.lastModified } : {}),
        ...(o.itemsSeen !== undefined ? { items_seen: o.itemsSeen } : {}),
      })
      .where('id', '=', id)
      .execute();
  }
}

function toSource(r: Selectable<SourcesTable>): Source {
  return {
    id: r.id,
    url: r.url,
    name: r.name,
    topics: JSON.parse(r.topics) as string[],
    everySeconds: r.every_seconds,
    etag: r.etag,
    lastModified: r.last_modified,
    lastFetchedAt: r.last_fetched_at,
    lastStatus: r.last_status,
    lastError: r.last_error,
    itemsSeen: r.items_seen,
    nextDueAt: r.next_due_at,
    failures: r.failures,
    createdAt: r.created_at,
  };
}
