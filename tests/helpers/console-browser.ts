import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { silentLogger } from '../../src/logger.js';
import { createApp, type App } from '../../src/main.js';
import { buildServer } from '../../src/web/server.js';
import { launchChromium } from './axe-browser.js';
import { createCaptureMailer } from './capture-mailer.js';
import { tempDir, testConfig } from './env.js';
import { freePort } from './free-port.js';
import { runCliCaptured } from './run-cli.js';

/** The console served on a free port, with Chromium open on it at phone size. */
export interface ConsoleInBrowser {
  app: App;
  server: FastifyInstance;
  browser: Browser;
  page: Page;
  /** The variables the app runs with, for CLI runs against the same store. */
  env: Record<string, string>;
  /** Messages of every alert/confirm/prompt a page opened (script that ran); dismissed. */
  dialogs: string[];
  /** Signs `admin` in the way an operator's first run does: `topic-digest admin link`, then the button. */
  signIn(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts an app on a temporary SQLite file with `admin` as the one console user, lets `seed`
 * fill it before the server listens, and opens a 390×844 page in Debian's Chromium.
 */
export async function openConsoleInBrowser(admin: string, seed: (app: App) => Promise<void>): Promise<ConsoleInBrowser> {
  const port = await freePort();
  const tmp = tempDir('topic-digest-e2e-console-');
  const env = {
    DATABASE_URL: `sqlite:${tmp.dir}/admin.db`,
    OUTBOX_DIR: `${tmp.dir}/outbox`,
    SECRET_KEY: 'test-secret-key-that-is-long-enough-0123456789',
    LOG_LEVEL: 'silent',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    ADMIN_EMAILS: admin,
  };
  const app = await createApp(testConfig(tmp.dir, env), { logger: silentLogger, mailer: createCaptureMailer() });
  await seed(app);
  const server = await buildServer(app);
  await server.listen({ port, host: '127.0.0.1' });
  const browser = await launchChromium();
  const page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  return {
    app,
    server,
    browser,
    page,
    env,
    dialogs,
    async signIn() {
      const run = await runCliCaptured(['admin', 'link', '--email', admin], env);
      if (run.code !== 0) throw new Error(`admin link failed: ${run.err}`);
      await page.goto(run.out.at(-1)!);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${env.PUBLIC_URL}/admin`);
    },
    async close() {
      await browser.close();
      await server.close();
      await app.close();
      tmp.cleanup();
    },
  };
}
