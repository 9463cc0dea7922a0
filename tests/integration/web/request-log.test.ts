import { afterEach, beforeEach, expect, it } from 'vitest';
import { createLogger } from '../../../src/logger.js';
import { createApp, type App } from '../../../src/main.js';
import { buildServer } from '../../../src/web/server.js';
import { createCaptureMailer } from '../../helpers/capture-mailer.js';
import { tempDir, testConfig } from '../../helpers/env.js';
import { storeReader } from '../../helpers/web-readers.js';

let lines: string[];
let app: App;
let cleanup: () => void;

beforeEach(async () => {
  lines = [];
  const t = tempDir('topic-digest-reqlog-');
  cleanup = t.cleanup;
  app = await createApp(testConfig(t.dir, { PUBLIC_URL: 'https://digest.example' }), { logger: createLogger('debug', (l) => lines.push(l)), mailer: createCaptureMailer() });
});
afterEach(async () => {
  await app.close();
  cleanup();
});

it('logs each request at debug through the app logger, with the route and never the token', async () => {
  const server = await buildServer(app);
  try {
    const { unsubscribePath, preferencesPath } = await storeReader(app);
    const token = unsubscribePath.split('/')[2]!;
    const confirm = new URL(app.links.confirmUrl((await app.store.subscribers.list())[0]!, 48)).pathname;
    await server.inject({ method: 'GET', url: `${unsubscribePath}?utm_source=x` });
    await server.inject({ method: 'GET', url: preferencesPath });
    await server.inject({ method: 'GET', url: confirm });
    await server.inject({ method: 'POST', url: unsubscribePath, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
    await server.inject({ method: 'GET', url: `/no-such-page/${token}` });

    const all = lines.join('\n');
    for (const secret of [token, preferencesPath.split('/')[2]!, confirm.split('/')[2]!]) expect(all).not.toContain(secret);
    const requests = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'web request');
    expect(requests.every((r) => r.component === 'web' && r.reqId !== undefined)).toBe(true); // Fastify's own logger
    expect(requests.map((r) => [r.level, r.method, r.url, r.status])).toEqual([
      [20, 'GET', '/unsubscribe/:token', 200],
      [20, 'GET', '/preferences/:token', 200],
      [20, 'GET', '/confirm/:token', 200],
      [20, 'POST', '/unsubscribe/:token', 200],
      [20, 'GET', '/no-such-page/:redacted', 404],
    ]);
  } finally {
    await server.close();
  }
});

it('logs nothing about requests above debug', async () => {
  const quiet: string[] = [];
  const server = await buildServer({ ...app, logger: createLogger('info', (l) => quiet.push(l)) });
  try {
    await server.inject({ method: 'GET', url: '/' });
    expect(quiet.filter((l) => l.includes('web request'))).toEqual([]);
  } finally {
    await server.close();
  }
});
