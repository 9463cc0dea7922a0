import type { Generated } from 'kysely';
import type { SubscriberStatus } from '../model/subscriber.js';

/**
 * The database's tables as Kysely sees them. Timestamps are ISO-8601 UTC strings and booleans are
 * 0/1 integers, so the same rows and queries work on SQLite and PostgreSQL.
 */

/** The topic catalogue. `keywords` is a JSON array of strings. */
export interface TopicsTable {
  slug: string;
  name: string;
  description: string | null;
  keywords: string;
  position: number;
  created_at: string;
  updated_at: string;
}

/** Stored stories. `key` is the canonical URL, feed guid or content hash that deduplicates imports. */
export interface ArticlesTable {
  id: Generated<number>;
  key: string;
  url: string | null;
  title: string;
  summary: string | null;
  body: string;
  image_url: string | null;
  image_caption: string | null;
  image_credit: string | null;
  /** Source pixel size of the image, when known (migration 011). */
  image_width: number | null;
  image_height: number | null;
  source: string | null;
  /** The byline, when the source gave one (migration 011). */
  author: string | null;
  published_at: string;
  first_seen_at: string;
  updated_at: string;
  /** Set when the publisher withdrew the story; a withdrawn story is never put into a digest. */
  withdrawn_at: string | null;
  /** Editorial weight: higher first in weekly editions; null means "by recency". */
  priority: number | null;
  /** When an editor set its topics by hand in the console; re-imports then leave them alone (migration 015). */
  topics_fixed_at: string | null;
  topics_fixed_by: string | null;
}

/** Which topics an article carries. */
export interface ArticleTopicsTable {
  article_id: number;
  topic_slug: string;
}

/** Lifecycle of a reader's address. */
export type { SubscriberStatus };

/** Readers. `signing_key` is per-subscriber secret material mixed into their tokens. */
export interface SubscribersTable {
  id: Generated<number>;
  email: string;
  /** emailKey(email): unique, so one mailbox is one reader whatever the case (migration 007). */
  email_key: string;
  /** Random id for links and tokens (migration 007). */
  public_id: string;
  name: string | null;
  status: SubscriberStatus;
  timezone: string | null;
  signing_key: string;
  hard_bounces: Generated<number>;
  paused: Generated<number>;
  created_at: string;
  updated_at: string;
  confirmed_at: string | null;
  unsubscribed_at: string | null;
  frequency: Generated<'daily' | 'weekdays' | 'weekly'>;
  /** Lower-case weekday name of a weekly reader's edition. */
  weekday: string | null;
  /** HH:MM local; null means DIGEST_SEND_TIME. */
  send_time: string | null;
  /** Set on the personal-data-free stub an erasure leaves for the ledger. */
  erased_at: string | null;
}

/** Which topics a reader follows. */
export interface SubscriberTopicsTable {
  subscriber_id: number;
  topic_slug: string;
}

/** Small key/value facts the process keeps, e.g. a generated secret key. */
export interface SettingsTable {
  key: string;
  value: string;
}

/** A rendered edition: identical content for every reader of one topic set and window. */
export interface EditionsTable {
  key: string;
  local_date: string;
  /** Comma-separated topic slugs, in section order. */
  topics: string;
  subject: string;
  /** HTML and text still holding personal-field tokens. */
  html: string;
  text: string;
  /** JSON array of the article ids in the email. */
  article_ids: string;
  created_at: string;
}

/** Where a delivery is in its life. `sending` found after a crash means "uncertain". */
export type DeliveryStatus = 'planned' | 'sending' | 'sent' | 'failed' | 'skipped';

/** The ledger: one row per (subscriber, local date). */
export interface DeliveriesTable {
  id: Generated<number>;
  subscriber_id: number;
  local_date: string;
  status: DeliveryStatus;
  edition_key: string | null;
  /** The first_seen_at window this digest covers: [window_start, window_end). */
  window_start: string;
  window_end: string;
  /** Why a day was skipped: 'empty', 'late'. */
  reason: string | null;
  message_id: string | null;
  error: string | null;
  attempts: Generated<number>;
  planned_at: string;
  sending_at: string | null;
  finished_at: string | null;
  lease_owner: string | null;
  lease_until: string | null;
  /** When a bounce report for this message arrived; `bounce_type` is 'hard' or 'soft'. */
  bounced_at: string | null;
  bounce_type: 'hard' | 'soft' | null;
  /** When the reader complained (ARF or a provider's complaint event) about this message. */
  complained_at: string | null;
  /** The report's one-line summary, e.g. "5.1.1 bad destination mailbox address …". */
  feedback: string | null;
}

/** Why an address may not be mailed. */
export type SuppressionReason = 'hard-bounce' | 'soft-bounce' | 'complaint' | 'manual';

/** Addresses never to mail, keyed by the canonical (lower-cased) address. */
export interface SuppressionsTable {
  email: string;
  reason: SuppressionReason;
  detail: string | null;
  created_at: string;
}

/** Every bounce/complaint report read, once: `fingerprint` makes re-reading a no-op. */
export interface FeedbackEventsTable {
  id: Generated<number>;
  fingerprint: string;
  /** 'mail', 'imap', 'ses', 'postmark', 'mailgun', 'sendgrid'. */
  source: string;
  kind: 'hard' | 'soft' | 'complaint' | 'ignored';
  recipient: string | null;
  delivery_id: number | null;
  subscriber_id: number | null;
  summary: string;
  received_at: string;
}

/** Named leases so two processes never run the same job at once. */
export interface LocksTable {
  name: string;
  owner: string;
  expires_at: string;
}

/** The shared send-rate gate: the next free slot per limit, epoch ms. */
export interface RateLimitsTable {
  name: string;
  next_ms: number;
}

/** Transactional mail (confirmation, welcome, already-subscribed) waiting for the sender. */
export interface MailQueueTable {
  id: Generated<number>;
  kind: string;
  to_address: string;
  to_name: string | null;
  subject: string;
  html: string;
  text: string;
  /** JSON of the message's List-* headers (welcome mail), or null (migration 011). */
  list_headers: string | null;
  /** `sending` with no lease: uncertain (no reply after DATA, or its sender died mid-send). */
  status: 'queued' | 'sending' | 'sent' | 'failed';
  attempts: Generated<number>;
  next_attempt_at: string;
  message_id: string | null;
  lease_owner: string | null;
  lease_until: string | null;
  error: string | null;
  created_at: string;
  finished_at: string | null;
}

/** A polled feed or page: its HTTP validators and backoff state. `topics` is a JSON array of slugs. */
export interface SourcesTable {
  id: Generated<number>;
  url: string;
  name: string | null;
  topics: string;
  every_seconds: number;
  etag: string | null;
  last_modified: string | null;
  last_fetched_at: string | null;
  /** An HTTP status ('200', '304', '500') or 'error' when no answer came. */
  last_status: string | null;
  last_error: string | null;
  items_seen: number;
  next_due_at: string;
  failures: number;
  created_at: string;
  /** When a poll last succeeded (migration 014). */
  last_success_at: string | null;
}

/** Push-API tokens: only a SHA-256 of the token is kept. `scopes` is space-separated. */
export interface ApiTokensTable {
  id: Generated<number>;
  name: string;
  token_hash: string;
  scopes: string;
  created_at: string;
  last_used_at: string | null;
}

/** Every consent line ever shown, by version, so a record proves what the reader agreed to. */
export interface ConsentWordingsTable {
  version: string;
  text: string;
  created_at: string;
}

/** Evidence of a signup, change or confirmation: when, from where, from which (truncated) IP. */
export interface ConsentRecordsTable {
  id: Generated<number>;
  subscriber_id: number;
  /** 'signup', 'change', 'confirm', 'import', 'unsubscribe'. */
  action: string;
  /** 'web:signup', 'web:preferences', 'import:<file name>', 'api', 'cli:<command>'. */
  source: string;
  ip: string | null;
  user_agent: string | null;
  wording_version: string | null;
  /** JSON of the choices made. */
  details: string | null;
  recorded_at: string;
}

/** One row per erased reader: a keyed hash of the address, never the address. */
export interface ErasuresTable {
  id: Generated<number>;
  email_hash: string;
  erased_at: string;
  source: string;
}

/** Per-day ledger counts kept when old delivery rows are pruned. */
export interface DeliveryDayCountsTable {
  local_date: string;
  status: string;
  count: number;
}

/** One-time console sign-in links; only the token's SHA-256 is kept. */
export interface AdminLoginTokensTable {
  token_hash: string;
  email: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** Console sessions; only the cookie value's SHA-256 is kept. */
export interface AdminSessionsTable {
  session_hash: string;
  email: string;
  created_at: string;
  expires_at: string;
}

/** The whole schema. Later migrations add their tables here. */
export interface Database {
  admin_login_tokens: AdminLoginTokensTable;
  admin_sessions: AdminSessionsTable;
  suppressions: SuppressionsTable;
  feedback_events: FeedbackEventsTable;
  sources: SourcesTable;
  api_tokens: ApiTokensTable;
  consent_wordings: ConsentWordingsTable;
  consent_records: ConsentRecordsTable;
  erasures: ErasuresTable;
  delivery_day_counts: DeliveryDayCountsTable;
  rate_limits: RateLimitsTable;
  editions: EditionsTable;
  deliveries: DeliveriesTable;
  locks: LocksTable;
  topics: TopicsTable;
  articles: ArticlesTable;
  article_topics: ArticleTopicsTable;
  subscribers: SubscribersTable;
  subscriber_topics: SubscriberTopicsTable;
  settings: SettingsTable;
  mail_queue: MailQueueTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
}

/** Outbound webhook endpoints. `events` is space-separated. */
export interface WebhooksTable {
  id: Generated<number>;
  url: string;
  events: string;
  secret: string;
  created_at: string;
}

/** The outbound webhook queue and its delivery log. */
export interface WebhookDeliveriesTable {
  id: Generated<number>;
  webhook_id: number;
  message_id: string;
  event_type: string;
  payload: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: Generated<number>;
  next_attempt_at: string;
  lease_until: string | null;
  last_status: number | null;
  last_error: string | null;
  created_at: string;
  finished_at: string | null;
}

/** One attempt to deliver a webhook: the per-webhook delivery log (migration 016). */
export interface WebhookAttemptsTable {
  id: Generated<number>;
  delivery_id: number;
  webhook_id: number;
  attempt: number;
  attempted_at: string;
  http_status: number | null;
  error: string | null;
  next_attempt_at: string | null;
}
