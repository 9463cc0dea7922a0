import type { Db } from './database.js';

/** One piece of consent evidence to store. */
export interface NewConsentRecord {
  subscriberId: number;
  action: string;
  source: string;
  ip: string | null;
  userAgent: string | null;
  /** The consent line shown, by version; stored once per version. */
  wording: { version: string; text: string } | null;
  details: object | null;
  at: string;
}

/** A stored consent record, with the wording it refers to. */
export interface ConsentRecord {
  action: string;
  source: string;
  at: string;
  ip: string | null;
  userAgent: string | null;
  wordingVersion: string | null;
  wording: string | null;
  details: unknown;
}

/** Consent evidence: what each reader agreed to, when, and from where. */
export class ConsentRepository {
  constructor(private readonly db: Db) {}

  /** Stores one record, and the wording's version if it is new. */
  async record(r: NewConsentRecord): Promise<void> {
    if (r.wording) {
      await this.db
        .insertInto('consent_wordings')
        .values({ version: r.wording.version, text: r.wording.text, created_at: r.at })
        .onConflict((oc) => oc.column('version').doNothing())
        .execute();
    }
    await this.db
      .insertInto('consent_records')
      .values({
        subscriber_id: r.subscriberId,
        action: r.action,
        source: r.source,
        ip: r.ip,
        user_agent: r.userAgent,
        wording_version: r.wording?.version ?? null,
        details: r.details ? JSON.stringify(r.details) : null,
        recorded_at: r.at,
      })
      .execute();
  }

  /** A reader's records, oldest first. */
  async listFor(subscriberId: number): Promise<ConsentRecord[]> {
    const rows = await this.db
      .selectFrom('consent_records as c')
      .leftJoin('consent_wordings as w', 'w.version', 'c.wording_version')
      .select(['c.action', 'c.source', 'c.recorded_at', 'c.ip', 'c.user_agent', 'c.wording_version', 'w.text', 'c.details'])
      .where('c.subscriber_id', '=', subscriberId)
      .orderBy('c.id')
      .execute();
    return rows.map((r) => ({
      action: r.action,
      source: r.source,
      at: r.recorded_at,
      ip: r.ip,
      userAgent: r.user_agent,
      wordingVersion: r.wording_version,
      wording: r.text ?? null,
      details: r.details ? (JSON.parse(r.details) as unknown) : null,
    }));
  }
}
