import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { openStore, type Store } from './store/store.js';
import { DEFAULT_TOPICS } from './topics/default-catalogue.js';

/**
 * Opens the store as every front door sees it: migrated, and holding the default topic catalogue
 * when it had no topics (unless `seedTopics` is false). {@link createApp} builds on it; commands
 * that need only the store (`topics list`) call it alone, so they never load the mailer or React.
 */
export async function openAppStore(config: Config, logger: Logger, seedTopics = true): Promise<Store> {
  const store = await openStore(config.database, (message, fields) => logger.warn(message, fields));
  if (seedTopics && (await store.topics.count()) === 0) {
    await store.transaction((tx) => tx.topics.upsert([...DEFAULT_TOPICS], new Date().toISOString()));
    logger.info('loaded the default topic catalogue', { topics: DEFAULT_TOPICS.length });
  }
  return store;
}
