import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { silentLogger } from '../../src/logger.js';
import { createApp, type App } from '../../src/main.js';
import { buildServer } from '../../src/web/server.js';
import { signInPage } from './admin-browser.js';
import { launchChromium } from './axe-browser.js';
import { createCaptureMailer } from './capture-mailer.js';
import { tempDir, testConfig } from './env.js';
import { freePort } from './free-port.js';

/** The console served on a free port and a signed-in Chromium page on a phone-sized screen. */
export interface ConsoleInChromium {
  app: App;
  server: FastifyInstance;
  browser: Browser;
  page: Page;
  /** e.g. http://127.0.0.1:41234 */
  base: string;
  /** The variables the app was built from (DATABASE_URL, PUBLIC_URL…), for child processes. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * Starts an app over a fresh SQLite file (`seed` runs before the server starts), serves it, and
 * signs `admin` in through a one-time link in Chromium. Logs stay silent in this process whatever
 * `env` says, so children started with {@link ConsoleInChromium.env} can log.
 */
export async function startConsoleInChromium(admin: string, env: Record<string, string> = {}, seed?: (app: App) => Promise<void>): Promise<ConsoleInChromium> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const tmp = tempDir('topic-digest-e2e-console-');
  const vars = { DATABASE_URL: `sqlite:${tmp.dir}/console.db`, OUTBOX_DIR: `${tmp.dir}/outbox`, SECRET_KEY: 'test-secret-key-that-is-long-enough-0123456789', PUBLIC_URL: base, ADMIN_EMAILS: admin, SEED_SAMPLE_DATA: 'false', ...env };
  const app = await createApp(testConfig(tmp.dir, { ...vars, LOG_LEVEL: 'silent' }), { logger: silentLogger, mailer: createCaptureMailer() });
  await seed?.(app);
  const server = await buildServer(app);
  await server.listen({ port, host: '127.0.0.1' });
  const browser = await launchChromium();
  const page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await signInPage(page, app, base, admin);
  return {
    app,
    server,
    browser,
    page,
    base,
    env: vars,
    close: async () => {
      await browser.close();
      await server.close();
      await app.close();
      tmp.cleanup();
    },
  };
}
