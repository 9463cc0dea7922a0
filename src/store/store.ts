import type { DatabaseConfig } from '../config.js';
import { ArticleRepository } from './article-repository.js';
import { openDatabase, type Db } from './database.js';
import { DeliveryRepository } from './delivery-repository.js';
import { EditionRepository } from './edition-repository.js';
import { LockRepository } from './lock-repository.js';
import { RateLimitRepository } from './rate-limit-repository.js';
import { SettingsRepository } from './settings-repository.js';
import { SubscriberRepository } from './subscriber-repository.js';
import { TopicRepository } from './topic-repository.js';

/**
 * The store as the rest of the program sees it: one repository per table group, plus
 * transactions. Callers never touch SQL or the dialect, so PostgreSQL can slot in underneath.
 */
export interface Store {
  readonly topics: TopicRepository;
  readonly articles: ArticleRepository;
  readonly subscribers: SubscriberRepository;
  readonly settings: SettingsRepository;
  readonly editions: EditionRepository;
  readonly deliveries: DeliveryRepository;
  readonly locks: LockRepository;
  readonly rateLimits: RateLimitRepository;
  /** Runs `fn` in one transaction: everything it writes lands together or not at all. */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  /** Releases the connection. */
  close(): Promise<void>;
  /** The underlying Kysely handle, for store-layer code only. */
  readonly db: Db;
}

function bind(db: Db, inTransaction: boolean): Store {
  const store: Store = {
    db,
    topics: new TopicRepository(db),
    articles: new ArticleRepository(db),
    subscribers: new SubscriberRepository(db),
    settings: new SettingsRepository(db),
    editions: new EditionRepository(db),
    deliveries: new DeliveryRepository(db),
    locks: new LockRepository(db),
    rateLimits: new RateLimitRepository(db),
    transaction: (fn) => (inTransaction ? fn(store) : db.transaction().execute((trx) => fn(bind(trx, true)))),
    close: () => db.destroy(),
  };
  return store;
}

/** Opens the database, runs migrations, and returns the store. */
export async function openStore(config: DatabaseConfig): Promise<Store> {
  return bind(await openDatabase(config), false);
}
