import { sql } from 'kysely';
import type { Db } from './database.js';
import { isPostgres } from './dialect.js';
import { leaseOnlyLiveness, type SenderLiveness } from './sender-liveness.js';

/**
 * Named leases in the store. Two processes on one database never run the same job at once: the
 * holder renews its lease; a crashed holder's lease simply runs out.
 */
export class LockRepository {
  constructor(
    private readonly db: Db,
    private readonly liveness: SenderLiveness = leaseOnlyLiveness,
  ) {}

  /**
   * Takes the lock if it is free, expired, or already ours, in one conditional upsert (so two
   * processes starting together cannot both win, and the loser gets a clean "no", not a busy
   * error). Returns whether we hold it now.
   */
  async tryAcquire(name: string, owner: string, ttlSeconds: number, now: Date = new Date()): Promise<boolean> {
    const expires = new Date(now.getTime() + ttlSeconds * 1000).toISOString();
    const row = await this.db
      .insertInto('locks')
      .values({ name, owner, expires_at: expires })
      .onConflict((oc) =>
        oc
          .column('name')
          .doUpdateSet({ owner, expires_at: expires })
          .where((eb) => eb.or([eb('locks.expires_at', '<', now.toISOString()), eb('locks.owner', '=', owner)])),
      )
      .returning('owner')
      .executeTakeFirst();
    return row?.owner === owner;
  }

  /**
   * Runs `job` while holding the exclusive lock `name`, or returns `{ held: false }` at once when
   * another process holds it (it stands by). On PostgreSQL this is a session advisory lock
   * (`pg_try_advisory_lock`) on a dedicated connection, which the server drops by itself if the
   * process dies. On SQLite it is the lease above, renewed while `job` runs; if renewal fails,
   * `job`'s signal aborts so it stops before another process takes over.
   */
  async withLock<T>(name: string, owner: string, ttlSeconds: number, job: (signal: AbortSignal) => Promise<T>): Promise<{ held: true; value: T } | { held: false }> {
    const lost = new AbortController();
    if (isPostgres(this.db)) {
      return this.db.connection().execute(async (conn) => {
        const got = await sql<{ ok: boolean }>`select pg_try_advisory_lock(hashtext(${name})) as ok`.execute(conn);
        if (!got.rows[0]?.ok) return { held: false as const };
        try {
          return { held: true as const, value: await job(lost.signal) };
        } finally {
          await sql`select pg_advisory_unlock(hashtext(${name}))`.execute(conn);
        }
      });
    }
    if (!(await this.tryAcquire(name, owner, ttlSeconds)) && !(await this.takeFromDeadHolder(name, owner, ttlSeconds))) return { held: false };
    const renew = setInterval(() => {
      this.tryAcquire(name, owner, ttlSeconds)
        .then((held) => held || lost.abort())
        .catch(() => undefined);
    }, (ttlSeconds * 1000) / 3);
    renew.unref();
    try {
      return { held: true, value: await job(lost.signal) };
    } finally {
      clearInterval(renew);
      await this.release(name, owner);
    }
  }

  /** Takes the lock at once when its holder is proven dead (SQLite), instead of waiting out its lease. */
  private async takeFromDeadHolder(name: string, owner: string, ttlSeconds: number): Promise<boolean> {
    const holder = await this.db.selectFrom('locks').select('owner').where('name', '=', name).executeTakeFirst();
    if (!holder || this.liveness.isAlive(holder.owner) !== false) return false;
    await this.db.deleteFrom('locks').where('name', '=', name).where('owner', '=', holder.owner).execute();
    return this.tryAcquire(name, owner, ttlSeconds);
  }

  /** Gives the lock up if we hold it. */
  async release(name: string, owner: string): Promise<void> {
    await this.db.deleteFrom('locks').where('name', '=', name).where('owner', '=', owner).execute();
  }
}
