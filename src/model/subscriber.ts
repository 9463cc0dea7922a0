/** Where a reader is in their life cycle: signed up, receiving, left, or undeliverable. */
export type SubscriberStatus = 'pending' | 'active' | 'unsubscribed' | 'bounced';

/** A reader. */
export interface Subscriber {
  id: number;
  /** Random and stable; the id links and tokens carry, so they reveal neither order nor count. */
  publicId: string;
  /** As the reader typed it; match with {@link emailKey}. */
  email: string;
  name: string | null;
  status: SubscriberStatus;
  /** IANA zone; null means the configured DIGEST_TIMEZONE. */
  timezone: string | null;
  topics: string[];
  /** Secret material mixed into this reader's tokens; rotating it revokes them. */
  signingKey: string;
  hardBounces: number;
  paused: boolean;
  createdAt: string;
  confirmedAt: string | null;
  unsubscribedAt: string | null;
}

/** A validated reader to create or update. */
export interface SubscriberInput {
  email: string;
  name: string | null;
  timezone: string | null;
  topics: string[];
  status: SubscriberStatus;
}

/**
 * The key that says whether two addresses reach the same mailbox: the domain lower-cased and the
 * local part compared case-insensitively, i.e. the whole address lower-cased. RFC 5321 lets a
 * server treat local-part case as significant, but nearly every provider does not, and readers for
 * `Ann@` and `ann@` would get two digests a day. Only matching uses the key; the address is kept
 * and shown as typed. Expects an address that passed the address check.
 */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}
