import { sql } from 'kysely';
import type { DatabaseConfig } from '../config.js';
import { ArticleRepository } from './article-repository.js';
import { BulkSeedRepository } from './bulk-seed-repository.js';
import { ConsentRepository } from './consent-repository.js';
import { openDatabase, type Db } from './database.js';
import { DeliveryLeases } from './delivery-leases.js';
import { DeliveryLedger } from './delivery-ledger.js';
import { DeliveryPlans } from './delivery-plans.js';
import { DeliveryQueries } from './delivery-queries.js';
import { EditionRepository } from './edition-repository.js';
import { FeedbackRepository } from './feedback-repository.js';
import { LockRepository } from './lock-repository.js';
import { isPostgres } from './dialect.js';
import { MailQueueRepository } from './mail-queue-repository.js';
import type { MigrationNoteListener } from './migrations/notes.js';
import { PrivacyRepository } from './privacy-repository.js';
import { RateLimitRepository } from './rate-limit-repository.js';
import { leaseOnlyLiveness, sqliteLiveness, type SenderLiveness } from './sender-liveness.js';
import { SettingsRepository } from './settings-repository.js';
import { AdminRepository } from './admin-repository.js';
import { SourceRepository } from './source-repository.js';
import { ApiTokenRepository } from './api-token-repository.js';
import { SubscriberRepository } from './subscriber-repository.js';
import { SuppressionRepository } from './suppression-repository.js';
import { TopicRepository } from './topic-repository.js';
import { WebhookRepository } from './webhook-repository.js';

/**
 * The store as the rest of the program sees it: one repository per table group, plus
 * transactions. Callers never touch SQL or the dialect, so PostgreSQL can slot in underneath.
 */
export interface Store {
  readonly topics: TopicRepository;
  readonly articles: ArticleRepository;
  readonly subscribers: SubscriberRepository;
  readonly settings: SettingsRepository;
  /** Console sign-in, sessions, the pause switch and overview counts. */
  readonly admin: AdminRepository;
  readonly editions: EditionRepository;
  /** The send path's ledger: lease, claim, record each outcome, heartbeat. */
  readonly ledger: DeliveryLedger;
  /** What readers were sent or planned (the planner's reads) and recording a new plan. */
  readonly plans: DeliveryPlans;
  /** The operator's ledger queries: listings, uncertain rows and settling them, requeue, counts. */
  readonly deliveries: DeliveryQueries;
  /** Which senders are alive; takeover of dead senders' rows. */
  readonly leases: DeliveryLeases;
  /** Transactional mail waiting for the sender. */
  readonly mailQueue: MailQueueRepository;
  readonly locks: LockRepository;
  readonly rateLimits: RateLimitRepository;
  readonly suppressions: SuppressionRepository;
  readonly feedback: FeedbackRepository;
  readonly sources: SourceRepository;
  readonly apiTokens: ApiTokenRepository;
  /** Consent evidence per reader. */
  readonly consent: ConsentRepository;
  /** Erasure, export and retention. */
  readonly privacy: PrivacyRepository;
  /** Outbound webhooks and their delivery queue. */
  readonly webhooks: WebhookRepository;
  /** Bulk inserts for seeding synthetic data (the benchmark); no checks, not for real input. */
  readonly bulkSeed: BulkSeedRepository;
  /** Runs `fn` in one transaction: everything it writes lands together or not at all. */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  /** Releases the connection. */
  close(): Promise<void>;
  /** The underlying Kysely handle, for store-layer code only. */
  readonly db: Db;
}

/**
 * Callers write "check, then write" inside `Store.transaction()` (confirm only a pending reader,
 * seed only an empty store) and rely on it holding until commit. SQLite gives that for free: one
 * writer at a time, and a process's transactions run one after another on its one connection.
 * PostgreSQL's default READ COMMITTED does not: two transactions both read "pending" and both
 * activate (a double-clicked confirm sent two welcome emails). So on PostgreSQL every store
 * transaction first takes this transaction-scoped advisory lock, which makes them run one at a
 * time across all processes, as on SQLite. The send loop's short writes (claims, markSent) do not
 * go through here, so workers are not serialised by it.
 */
const TRANSACTION_LOCK = 'topic-digest store transaction';

function bind(db: Db, inTransaction: boolean, liveness: SenderLiveness): Store {
  const store: Store = {
    db,
    topics: new TopicRepository(db),
    articles: new ArticleRepository(db),
    subscribers: new SubscriberRepository(db),
    settings: new SettingsRepository(db),
    admin: new AdminRepository(db),
    editions: new EditionRepository(db),
    ledger: new DeliveryLedger(db),
    plans: new DeliveryPlans(db),
    deliveries: new DeliveryQueries(db),
    leases: new DeliveryLeases(db, liveness),
    mailQueue: new MailQueueRepository(db, liveness),
    locks: new LockRepository(db, liveness),
    rateLimits: new RateLimitRepository(db),
    suppressions: new SuppressionRepository(db),
    feedback: new FeedbackRepository(db),
    sources: new SourceRepository(db),
    apiTokens: new ApiTokenRepository(db),
    consent: new ConsentRepository(db),
    privacy: new PrivacyRepository(db),
    webhooks: new WebhookRepository(db),
    bulkSeed: new BulkSeedRepository(db),
    transaction: (fn) =>
      inTransaction
        ? fn(store)
        : db.transaction().execute(async (trx) => {
            if (isPostgres(trx)) await sql`select pg_advisory_xact_lock(hashtext(${TRANSACTION_LOCK}))`.execute(trx);
            return fn(bind(trx, true, liveness));
          }),
    close: () => db.destroy(),
  };
  return store;
}

/** Opens the database, runs migrations (`onMigrationNote` hears what they changed), and returns the store. */
export async function openStore(config: DatabaseConfig, onMigrationNote?: MigrationNoteListener): Promise<Store> {
  // On SQLite, a file lock per sender proves it alive; PostgreSQL relies on renewed leases.
  const liveness = config.kind === 'sqlite' && config.path !== ':memory:' ? sqliteLiveness(config.path) : leaseOnlyLiveness;
  return bind(await openDatabase(config, onMigrationNote), false, liveness);
}
