import { createHash, randomBytes } from 'node:crypto';
import type { Db } from './database.js';
import { topicGrowth, type TopicGrowth } from './overview-queries.js';
import { addressOrNameContains } from './text-match.js';

/**
 * The console's store: one-time sign-in tokens, sessions, the "pause all sending" switch and the
 * small ledger queries the overview shows. Secrets are random 256-bit values; only their SHA-256
 * is stored, and lookups go by that hash, so there is no secret comparison to time.
 */

const PAUSE_KEY = 'sending_paused';

/** Today's ledger for one local date, by status, with skipped rows by reason. */
export interface DayCounts {
  planned: number;
  sending: number;
  uncertain: number;
  sent: number;
  failed: number;
  skipped: Array<{ reason: string; count: number }>;
}

/** One search hit on the subscribers page. */
export interface SubscriberHit {
  id: number;
  email: string;
  name: string | null;
  status: string;
  paused: boolean;
}

/** One edition in the console's list: how many readers it reached and how many stories it holds. */
export interface EditionRow {
  key: string;
  localDate: string;
  subject: string;
  topics: string[];
  readers: number;
  stories: number;
}

/** Whether sending is paused, and who paused it when. */
export interface PauseState {
  paused: boolean;
  by?: string;
  at?: string;
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** A new random secret for a link or cookie (URL-safe). */
export function newAdminSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Sign-in tokens, sessions, the pause switch and overview counts. */
export class AdminRepository {
  constructor(private readonly db: Db) {}

  /** Stores a one-time sign-in token for `email` and returns the token (never stored itself). */
  async createLoginToken(email: string, now: Date, ttlMs: number): Promise<string> {
    const token = newAdminSecret();
    await this.db
      .insertInto('admin_login_tokens')
      .values({ token_hash: sha256(token), email, created_at: now.toISOString(), expires_at: new Date(now.getTime() + ttlMs).toISOString(), used_at: null })
      .execute();
    return token;
  }

  /**
   * Uses a sign-in token: returns its address if it exists, is unexpired and unused, and marks it
   * used in the same statement so two clicks cannot both succeed.
   */
  async consumeLoginToken(token: string, now: Date): Promise<string | undefined> {
    const at = now.toISOString();
    const row = await this.db
      .updateTable('admin_login_tokens')
      .set({ used_at: at })
      .where('token_hash', '=', sha256(token))
      .where('used_at', 'is', null)
      .where('expires_at', '>', at)
      .returning('email')
      .executeTakeFirst();
    return row?.email;
  }

  /** Opens a session and returns the cookie value. Expired sessions and tokens are swept here. */
  async createSession(email: string, now: Date, ttlMs: number): Promise<string> {
    const at = now.toISOString();
    await this.db.deleteFrom('admin_sessions').where('expires_at', '<=', at).execute();
    await this.db.deleteFrom('admin_login_tokens').where('expires_at', '<=', at).execute();
    const secret = newAdminSecret();
    await this.db
      .insertInto('admin_sessions')
      .values({ session_hash: sha256(secret), email, created_at: at, expires_at: new Date(now.getTime() + ttlMs).toISOString() })
      .execute();
    return secret;
  }

  /** The signed-in address for a cookie value, if its session is live. */
  async findSession(secret: string, now: Date): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('admin_sessions')
      .select('email')
      .where('session_hash', '=', sha256(secret))
      .where('expires_at', '>', now.toISOString())
      .executeTakeFirst();
    return row?.email;
  }

  /** Ends a session (sign-out). */
  async deleteSession(secret: string): Promise<void> {
    await this.db.deleteFrom('admin_sessions').where('session_hash', '=', sha256(secret)).execute();
  }

  /** Whether all sending is paused. Read by every scheduler tick, worker batch and `send`. */
  async pauseState(): Promise<PauseState> {
    const row = await this.db.selectFrom('settings').select('value').where('key', '=', PAUSE_KEY).executeTakeFirst();
    if (!row) return { paused: false };
    try {
      const v = JSON.parse(row.value) as { by?: string; at?: string };
      return { paused: true, ...(v.by ? { by: v.by } : {}), ...(v.at ? { at: v.at } : {}) };
    } catch {
      return { paused: true };
    }
  }

  /** Pauses (with who and when) or resumes all sending. */
  async setPaused(paused: boolean, by: string, now: Date): Promise<void> {
    if (!paused) {
      await this.db.deleteFrom('settings').where('key', '=', PAUSE_KEY).execute();
      return;
    }
    const value = JSON.stringify({ by, at: now.toISOString() });
    await this.db
      .insertInto('settings')
      .values({ key: PAUSE_KEY, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
  }

  /** Ledger counts for one readers' local date. */
  async dayCounts(localDate: string): Promise<DayCounts> {
    const rows = await this.db
      .selectFrom('deliveries')
      .select((eb) => ['status', 'reason', eb.fn.countAll<number>().as('n'), eb.fn.count<number>('lease_until').as('leased')])
      .where('local_date', '=', localDate)
      .groupBy(['status', 'reason'])
      .execute();
    const out: DayCounts = { planned: 0, sending: 0, uncertain: 0, sent: 0, failed: 0, skipped: [] };
    for (const r of rows) {
      const n = Number(r.n);
      if (r.status === 'skipped') out.skipped.push({ reason: r.reason ?? 'unknown', count: n });
      else if (r.status === 'sending') {
        out.sending += Number(r.leased);
        out.uncertain += n - Number(r.leased);
      } else out[r.status] += n;
    }
    out.skipped.sort((a, b) => a.reason.localeCompare(b.reason));
    return out;
  }

  /** Followers per topic now, and who joined and left since `since` (see {@link topicGrowth}). */
  topicGrowth(since: string): Promise<TopicGrowth[]> {
    return topicGrowth(this.db, since);
  }

  /** Readers whose address or name contains `query` (case-insensitive), erased stubs excluded. */
  async searchSubscribers(query: string, limit: number): Promise<SubscriberHit[]> {
    const rows = await this.db
      .selectFrom('subscribers')
      .select(['id', 'email', 'name', 'status', 'paused'])
      .where('erased_at', 'is', null)
      .where(addressOrNameContains(query))
      .orderBy('email')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: r.id, email: r.email, name: r.name, status: r.status, paused: Boolean(r.paused) }));
  }

  /** Editions, newest first, with the readers each was sent to. */
  async listEditions(limit: number): Promise<EditionRow[]> {
    const rows = await this.db
      .selectFrom('editions as e')
      .leftJoin('deliveries as d', (j) => j.onRef('d.edition_key', '=', 'e.key').on('d.status', '=', 'sent'))
      .select((eb) => ['e.key', 'e.local_date', 'e.subject', 'e.topics', 'e.article_ids', eb.fn.count<number>('d.id').as('readers')])
      .groupBy(['e.key', 'e.local_date', 'e.subject', 'e.topics', 'e.article_ids', 'e.created_at'])
      .orderBy('e.local_date', 'desc')
      .orderBy('e.created_at', 'desc')
      .orderBy('e.key')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      key: r.key,
      localDate: r.local_date,
      subject: r.subject,
      topics: r.topics ? r.topics.split(',') : [],
      readers: Number(r.readers),
      stories: (JSON.parse(r.article_ids) as unknown[]).length,
    }));
  }
}
