import type { Db } from './database.js';

/** Small facts the process keeps between runs, such as a generated secret key. */
export class SettingsRepository {
  constructor(private readonly db: Db) {}

  /** The stored value, if any. */
  async get(key: string): Promise<string | undefined> {
    const r = await this.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
    return r?.value;
  }

  /** Stores the value unless one is already there, and returns whichever value won. */
  async getOrInit(key: string, make: () => string): Promise<string> {
    await this.db
      .insertInto('settings')
      .values({ key, value: make() })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    return (await this.get(key))!;
  }
}
