import { afterEach, beforeEach } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { createApp, type App } from '../../src/main.js';
import { databasePerTest, type TestDialect } from './dialects.js';
import { tempDir, testConfig } from './env.js';

/**
 * Gives every test in the calling describe block a fresh app over an empty database of
 * `dialect` and a temporary folder, handed to `use` before each test and closed after it.
 */
export function appPerTest(dialect: TestDialect, use: (app: App, dir: string) => void): void {
  const database = databasePerTest(dialect);
  let app: App | undefined;
  let cleanup: (() => void) | undefined;
  beforeEach(async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    app = await createApp(testConfig(t.dir, { DATABASE_URL: await database.cleanUrl(t.dir) }), { logger: silentLogger });
    use(app, t.dir);
  });
  afterEach(async () => {
    await app?.close();
    cleanup?.();
  });
}
