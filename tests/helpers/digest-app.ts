import { afterEach, beforeEach } from 'vitest';
import { createApp, type App } from '../../src/main.js';
import { silentLogger } from '../../src/logger.js';
import { databasePerTest, type TestDialect } from './dialects.js';
import { tempDir, testConfig } from './env.js';
import { startSmtpSink, type SmtpSink } from './smtp-sink.js';

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

/** A real SMTP sink and a digest app sending to it, fresh for each test. */
export interface SinkAndApp {
  readonly sink: SmtpSink;
  readonly app: App;
}

/**
 * Call inside a `describe` block: before each test, starts an SMTP sink and a digest app sending
 * to it over an empty database of `dialect`; closes both after the test.
 */
export function sinkAndAppPerTest(dialect: TestDialect): SinkAndApp {
  const database = databasePerTest(dialect);
  let sink: SmtpSink | undefined;
  let app: App | undefined;
  beforeEach(async () => {
    sink = await startSmtpSink();
    const { dir } = tempDir();
    app = await digestApp({ SMTP_URL: sink.url, DATABASE_URL: await database.cleanUrl(dir) }, dir);
  });
  afterEach(async () => {
    await app?.close();
    await sink?.close();
  });
  return {
    get sink() {
      return sink!;
    },
    get app() {
      return app!;
    },
  };
}
