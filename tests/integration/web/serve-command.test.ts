import { Command } from 'commander';
import { afterEach, expect, it } from 'vitest';
import { registerServeCommand } from '../../../src/cli/serve.js';
import type { CliContext } from '../../../src/cli/context.js';
import type { Logger } from '../../../src/logger.js';
import { createApp, type App } from '../../../src/main.js';
import { createCaptureMailer } from '../../helpers/capture-mailer.js';
import { tempDir, testConfig } from '../../helpers/env.js';

/** `topic-digest serve` listens, answers, and closes cleanly on SIGTERM. */

let app: App | undefined;
let cleanup: (() => void) | undefined;
afterEach(async () => {
  await app?.close();
  cleanup?.();
});

it('serves until SIGTERM, then closes', async () => {
  const tmp = tempDir();
  cleanup = tmp.cleanup;
  const lines: Array<{ msg: string; fields?: Record<string, unknown> }> = [];
  const record = (msg: string, fields?: Record<string, unknown>) => void lines.push({ msg, ...(fields ? { fields } : {}) });
  const logger: Logger = { debug: record, info: record, warn: record, error: record };
  app = await createApp(testConfig(tmp.dir, { PORT: '0', HOST: '127.0.0.1' }), { logger, mailer: createCaptureMailer() });
  const ctx: CliContext = { app: async () => app!, store: async () => app!.store, config: () => app!.config, print: () => {}, isTty: false, dispose: async () => {} };
  const program = new Command('topic-digest').exitOverride();
  registerServeCommand(program, ctx);
  const run = program.parseAsync(['node', 'topic-digest', 'serve']);

  const deadline = Date.now() + 10_000;
  while (!lines.some((l) => l.msg === 'web server listening') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const url = String(lines.find((l) => l.msg === 'web server listening')?.fields?.listen);
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const res = await fetch(`${url}/healthz`);
  expect(res.status).toBe(200);

  process.emit('SIGTERM');
  await run;
  expect(lines.map((l) => l.msg)).toContain('stopping the web server');
  await expect(fetch(`${url}/healthz`)).rejects.toThrow();
});
