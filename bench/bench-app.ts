import { join } from 'node:path';
import { parseConfig } from '../src/config.js';
import { silentLogger } from '../src/logger.js';
import { createApp, type App } from '../src/main.js';

/**
 * The configuration every benchmark process shares (the in-process app and the `topic-digest
 * worker` children alike), as environment variables: same secret, links and sender.
 */
export const BENCH_ENV = {
  SECRET_KEY: 'bench-secret-key-that-is-long-enough-0123456789',
  PUBLIC_URL: 'https://digest.example.com',
  MAIL_FROM: 'Morning Brief <brief@news.example.com>',
} as const;

/**
 * Opens the production app on `databaseUrl` (`sqlite:<file>` or `postgres://…`) for the benchmark:
 * silent, no default topics (the synthetic data brings its own), SMTP to `smtpUrl` if given (else
 * the outbox in `dir`) with a pool of `connections`; `env` adds settings (e.g. DKIM).
 */
export async function openBenchApp(databaseUrl: string, smtpUrl: string | undefined, connections: number, dir: string, env: Record<string, string> = {}): Promise<App> {
  const config = parseConfig({
    ...BENCH_ENV,
    ...env,
    DATABASE_URL: databaseUrl,
    ...(smtpUrl ? { SMTP_URL: smtpUrl } : {}),
    SMTP_MAX_CONNECTIONS: String(connections),
    OUTBOX_DIR: join(dir, 'outbox'),
    LOG_LEVEL: 'silent',
  });
  return createApp(config, { logger: silentLogger, seedTopics: false });
}
