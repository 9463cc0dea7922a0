import { createApp, type App } from '../../src/main.js';
import { silentLogger } from '../../src/logger.js';
import { tempDir, testConfig } from './env.js';

/**
 * An app over a temporary SQLite file, or over `env.DATABASE_URL` when given (see dialects.ts),
 * sending to `env.SMTP_URL` (or the outbox when absent).
 */
export async function digestApp(env: Record<string, string> = {}, dir = tempDir().dir): Promise<App & { dir: string }> {
  const app = await createApp(testConfig(dir, { PUBLIC_URL: 'https://digest.example.com', MAIL_FROM: 'Morning Brief <brief@news.example.com>', ...env }), {
    logger: silentLogger,
    retryBaseMs: 20,
  });
  return Object.assign(app, { dir });
}
