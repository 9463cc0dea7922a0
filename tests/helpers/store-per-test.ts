import { afterEach, beforeEach } from 'vitest';
import { openStore, type Store } from '../../src/store/store.js';
import { databasePerTest, type TestDialect } from './dialects.js';
import { tempDir, testConfig } from './env.js';

/** The store a test works on, and the `DATABASE_URL` it was opened from. */
export interface StorePerTest {
  store(): Store;
  url(): string;
}

/**
 * Call inside a `describe` block: each test gets a freshly migrated, empty store on `dialect`
 * (see {@link databasePerTest}), closed and cleaned up after it. Later `beforeEach` hooks of the
 * block run after it, so they can seed the store.
 */
export function storePerTest(dialect: TestDialect): StorePerTest {
  const database = databasePerTest(dialect);
  let store: Store | undefined;
  let url = '';
  let cleanup: () => void = () => undefined;
  beforeEach(async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    url = await database.cleanUrl(t.dir);
    store = await openStore(testConfig(t.dir, { DATABASE_URL: url }).database);
  });
  afterEach(async () => {
    await store?.close();
    cleanup();
  });
  return {
    store: () => store!,
    url: () => url,
  };
}
