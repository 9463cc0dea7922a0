import type { Db } from './database.js';

/** A stored API token, without its secret (only a hash of it is ever kept). */
export interface ApiTokenInfo {
  id: number;
  name: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
}

/** Reads and writes push-API tokens. The caller hashes; this layer never sees a token. */
export class ApiTokenRepository {
  constructor(private readonly db: Db) {}

  /** Stores a token's hash under a unique name; returns false when the name is taken. */
  async create(name: string, tokenHash: string, scopes: string[], now: string): Promise<boolean> {
    const row = await this.db
      .insertInto('api_tokens')
      .values({ name, token_hash: tokenHash, scopes: scopes.join(' '), created_at: now })
      .onConflict((oc) => oc.column('name').doNothing())
      .returning('id')
      .executeTakeFirst();
    return row !== undefined;
  }

  /** The token whose hash this is, or undefined. */
  async byHash(tokenHash: string): Promise<ApiTokenInfo | undefined> {
    const r = await this.db.selectFrom('api_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    return r ? { id: r.id, name: r.name, scopes: r.scopes.split(' ').filter(Boolean), createdAt: r.created_at, lastUsedAt: r.last_used_at } : undefined;
  }

  /** Notes a use, at most about once a minute per token so a busy CMS does not write on every call. */
  async touch(id: number, now: string): Promise<void> {
    const minuteAgo = new Date(Date.parse(now) - 60_000).toISOString();
    await this.db
      .updateTable('api_tokens')
      .set({ last_used_at: now })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', minuteAgo)]))
      .execute();
  }

  /** Every token, oldest first. */
  async list(): Promise<ApiTokenInfo[]> {
    const rows = await this.db.selectFrom('api_tokens').selectAll().orderBy('id').execute();
    return rows.map((r) => ({ id: r.id, name: r.name, scopes: r.scopes.split(' ').filter(Boolean), createdAt: r.created_at, lastUsedAt: r.last_used_at }));
  }

  /** Deletes the token with this name; returns whether there was one. */
  async revoke(name: string): Promise<boolean> {
    const r = await this.db.deleteFrom('api_tokens').where('name', '=', name).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
