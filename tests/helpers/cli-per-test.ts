import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { tempDir } from './env.js';
import { runCliCaptured, type CliRun } from './run-cli.js';

/** A fresh folder and SQLite env per test, and a runner for one command group in it. */
export interface CliPerTest {
  /** The test's temporary folder. */
  readonly dir: string;
  /** The env the CLI runs with; tests may change DATABASE_URL. */
  readonly env: Record<string, string>;
  /** Runs `topic-digest <group> …args`. */
  run(...args: string[]): Promise<CliRun>;
}

/** Registers before/after hooks giving each test its own folder and database for `group` commands. */
export function cliPerTest(group: string): CliPerTest {
  let dir = '';
  let cleanup: () => void = () => undefined;
  const env: Record<string, string> = {};
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    for (const k of Object.keys(env)) delete env[k];
    Object.assign(env, { DATABASE_URL: `sqlite:${join(dir, 'cli.db')}`, LOG_LEVEL: 'silent', SECRET_KEY: 'x'.repeat(40) });
  });
  afterEach(() => cleanup());
  return {
    get dir() {
      return dir;
    },
    env,
    run: (...args) => runCliCaptured([group, ...args], env),
  };
}
