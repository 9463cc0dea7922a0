import { sql } from 'kysely';
import type { Db } from './database.js';
import { isPostgres } from './dialect.js';

/**
 * A send-rate gate shared by every process on the database. Each caller atomically takes the
 * next slot (`max(next, now) + interval`), so N workers together never exceed the rate.
 */
export class RateLimitRepository {
  constructor(private readonly db: Db) {}

  /** Reserves the next slot of limit `name`; returns the epoch ms at which the caller may send. */
  async reserve(name: string, intervalMs: number, nowMs: number): Promise<number> {
    const greatest = isPostgres(this.db) ? sql<number>`greatest(rate_limits.next_ms, ${nowMs})` : sql<number>`max(rate_limits.next_ms, ${nowMs})`;
    const row = await this.db
      .insertInto('rate_limits')
      .values({ name, next_ms: nowMs + intervalMs })
      .onConflict((oc) => oc.column('name').doUpdateSet({ next_ms: sql<number>`${greatest} + ${intervalMs}` }))
      .returning('next_ms')
      .executeTakeFirstOrThrow();
    return Number(row.next_ms) - intervalMs;
  }
}
