import type { Db } from './database.js';

/**
 * Named leases in the store. Two processes on one database never run the same job at once: the
 * holder renews its lease; a crashed holder's lease simply runs out.
 */
export class LockRepository {
  constructor(private readonly db: Db) {}

  /** Takes the lock if it is free, expired, or already ours. Returns whether we hold it now. */
  async tryAcquire(name: string, owner: string, ttlSeconds: number, now: Date = new Date()): Promise<boolean> {
    const expires = new Date(now.getTime() + ttlSeconds * 1000).toISOString();
    const nowIso = now.toISOString();
    return this.db.transaction().execute(async (trx) => {
      const current = await trx.selectFrom('locks').selectAll().where('name', '=', name).executeTakeFirst();
      if (!current) {
        await trx.insertInto('locks').values({ name, owner, expires_at: expires }).onConflict((oc) => oc.column('name').doNothing()).execute();
      } else if (current.owner === owner || current.expires_at < nowIso) {
        await trx.updateTable('locks').set({ owner, expires_at: expires }).where('name', '=', name).execute();
      } else {
        return false;
      }
      const after = await trx.selectFrom('locks').select('owner').where('name', '=', name).executeTakeFirst();
      return after?.owner === owner;
    });
  }

  /** Gives the lock up if we hold it. */
  async release(name: string, owner: string): Promise<void> {
    await this.db.deleteFrom('locks').where('name', '=', name).where('owner', '=', owner).execute();
  }
}
