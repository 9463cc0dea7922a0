import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig, type Config } from '../../src/config.js';

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = 'topic-digest-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A config over a temporary SQLite file, with any variables overridden; pass `DATABASE_URL` in
 * `env` (e.g. from `databasePerTest` in dialects.ts) to run on another database or dialect.
 */
export function testConfig(dir: string, env: Record<string, string> = {}): Config {
  return parseConfig({
    DATABASE_URL: `sqlite:${join(dir, 'test.db')}`,
    OUTBOX_DIR: join(dir, 'outbox'),
    SECRET_KEY: 'test-secret-key-that-is-long-enough-0123456789',
    LOG_LEVEL: 'silent',
    ...env,
  });
}
