import type { Db } from './database.js';

/**
 * Named leases in the store. Two processes on one database never run the same job at once: the
 * holder renews its lease; a crashed holder's lease simply runs out.
 */
export class LockRepository {
  constructor(private readonly db: Db) {}

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

  /** Gives the lock up if we hold it. */
  async release(name: string, owner: string): Promise<void> {
    await this.db.deleteFrom('locks').where('name', '=', name).where('owner', '=', owner).execute();
  }
}
