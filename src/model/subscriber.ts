/** Where a reader is in their life cycle: signed up, receiving, left, or undeliverable. */
export type SubscriberStatus = 'pending' | 'active' | 'unsubscribed' | 'bounced';

/** A reader. */
export interface Subscriber {
  id: number;
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
