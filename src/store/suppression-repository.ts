import { createHash } from 'node:crypto';
import { emailKey } from '../model/subscriber.js';
import { chunked } from './chunks.js';
import type { Db } from './database.js';
import type { SuppressionReason } from './schema.js';

/**
 * The key a suppression is stored under: the project's canonical address ({@link emailKey}), so
 * `Reader@Example.org` and `reader@example.org` are one entry.
 */
export function suppressionKey(email: string): string {
  return emailKey(email);
}

/**
 * How an erased reader's suppression is kept: a SHA-256 of the canonical address. The list still
 * stops mail to that mailbox (a complaint must outlive an erasure), yet no table holds the address.
 */
export function erasedSuppressionKey(email: string): string {
  return `sha256:${createHash('sha256').update(suppressionKey(email)).digest('hex')}`;
}

/** Both keys an address may be stored under: plain, or hashed after an erasure. */
function keysOf(email: string): [string, string] {
  return [suppressionKey(email), erasedSuppressionKey(email)];
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
      await this.db.updateTable('suppressions').set({ reason, detail, created_at: now }).where('email', '=', existing.email).execute();
    } else {
      await this.db.insertInto('suppressions').values({ email: key, reason, detail, created_at: now }).onConflict((oc) => oc.column('email').doNothing()).execute();
    }
    return true;
  }

  /** Lifts a suppression; returns whether there was one. */
  async remove(email: string): Promise<boolean> {
    const r = await this.db.deleteFrom('suppressions').where('email', 'in', keysOf(email)).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** The entry for an address, if suppressed. */
  async get(email: string): Promise<Suppression | undefined> {
    const r = await this.db.selectFrom('suppressions').selectAll().where('email', 'in', keysOf(email)).executeTakeFirst();
    return r ? { email: r.email, reason: r.reason, detail: r.detail, createdAt: r.created_at } : undefined;
  }

  /** Every entry, newest first. */
  async list(): Promise<Suppression[]> {
    const rows = await this.db.selectFrom('suppressions').selectAll().orderBy('created_at', 'desc').orderBy('email').execute();
    return rows.map((r) => ({ email: r.email, reason: r.reason, detail: r.detail, createdAt: r.created_at }));
  }

  /** Which of these addresses are suppressed, as their suppression keys. */
  async suppressedAmong(emails: readonly string[]): Promise<Set<string>> {
    // Each plain key, and the hashed key an erasure leaves, both answer for the plain key.
    const byStoredKey = new Map<string, string>();
    for (const email of emails) for (const k of keysOf(email)) byStoredKey.set(k, suppressionKey(email));
    const stored = [...byStoredKey.keys()];
    const found = new Set<string>();
    for (const chunk of chunked(stored)) {
      const rows = await this.db.selectFrom('suppressions').select('email').where('email', 'in', chunk).execute();
      for (const r of rows) found.add(byStoredKey.get(r.email)!);
    }
    return found;
  }

  /** Keeps an erased reader's suppression as a hash, so the list no longer holds the address. */
  async hashForErasure(email: string): Promise<void> {
    await this.db.updateTable('suppressions').set({ email: erasedSuppressionKey(email) }).where('email', '=', suppressionKey(email)).execute();
  }
}
