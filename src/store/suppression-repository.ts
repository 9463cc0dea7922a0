import { emailKey } from '../model/subscriber.js';
import type { Db } from './database.js';
import type { SuppressionReason } from './schema.js';

/**
 * The key a suppression is stored under: the project's canonical address ({@link emailKey}), so
 * `Reader@Example.org` and `reader@example.org` are one entry.
 */
export function suppressionKey(email: string): string {
  return emailKey(email);
}

/** One suppressed address. */
export interface Suppression {
  email: string;
  reason: SuppressionReason;
  detail: string | null;
  createdAt: string;
}

/** Addresses never to mail again, with why and since when. */
export class SuppressionRepository {
  constructor(private readonly db: Db) {}

  /**
   * Suppresses an address. An existing complaint entry is kept as it is: a later bounce or a
   * manual add must not turn "the reader asked us to stop" into something a re-signup clears.
   * Returns whether anything changed.
   */
  async add(email: string, reason: SuppressionReason, detail: string | null, now: string): Promise<boolean> {
    const key = suppressionKey(email);
    const existing = await this.get(key);
    if (existing && (existing.reason === 'complaint' || existing.reason === reason)) return false;
    if (existing) {
      await this.db.updateTable('suppressions').set({ reason, detail, created_at: now }).where('email', '=', key).execute();
    } else {
      await this.db.insertInto('suppressions').values({ email: key, reason, detail, created_at: now }).onConflict((oc) => oc.column('email').doNothing()).execute();
    }
    return true;
  }

  /** Lifts a suppression; returns whether there was one. */
  async remove(email: string): Promise<boolean> {
    const r = await this.db.deleteFrom('suppressions').where('email', '=', suppressionKey(email)).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** The entry for an address, if suppressed. */
  async get(email: string): Promise<Suppression | undefined> {
    const r = await this.db.selectFrom('suppressions').selectAll().where('email', '=', suppressionKey(email)).executeTakeFirst();
    return r ? { email: r.email, reason: r.reason, detail: r.detail, createdAt: r.created_at } : undefined;
  }

  /** Every entry, newest first. */
  async list(): Promise<Suppression[]> {
    const rows = await this.db.selectFrom('suppressions').selectAll().orderBy('created_at', 'desc').orderBy('email').execute();
    return rows.map((r) => ({ email: r.email, reason: r.reason, detail: r.detail, createdAt: r.created_at }));
  }

  /** Which of these addresses are suppressed, as their suppression keys. */
  async suppressedAmong(emails: readonly string[]): Promise<Set<string>> {
    const keys = [...new Set(emails.map(suppressionKey))];
    const found = new Set<string>();
    for (let i = 0; i < keys.length; i += 500) {
      const rows = await this.db.selectFrom('suppressions').select('email').where('email', 'in', keys.slice(i, i + 500)).execute();
      for (const r of rows) found.add(r.email);
    }
    return found;
  }
}
