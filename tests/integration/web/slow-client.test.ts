import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/logger.js';
import { createApp, type App } from '../../../src/main.js';
import { startWebServer, type RunningWebServer } from '../../../src/web/server.js';
import { createCaptureMailer } from '../../helpers/capture-mailer.js';
import { tempDir, testConfig } from '../../helpers/env.js';

/**
 * A real socket that sends its request body one byte at a time, slower than the limit allows,
 * against a listening server with short timeouts.
 */

const tmp = tempDir('td-slow-client-');
let app: App;
let web: RunningWebServer;

beforeAll(async () => {
  app = await createApp(testConfig(tmp.dir, { WEB_REQUEST_TIMEOUT_SECONDS: '2', WEB_IDLE_TIMEOUT_SECONDS: '3' }), { logger: silentLogger, mailer: createCaptureMailer() });
  web = await startWebServer(app, { port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await web.close();
  await app.close();
  tmp.cleanup();
});

/** Opens a socket, writes `head`, then one byte every `everyMs`; resolves when the server ends it. */
function trickle(head: string, everyMs: number): Promise<{ closedAfterMs: number; response: string }> {
  const { port } = new URL(web.url);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(Number(port), '127.0.0.1');
    let response = '';
    let timer: NodeJS.Timeout | undefined;
    socket.on('connect', () => {
      socket.write(head);
      timer = setInterval(() => socket.write('a'), everyMs);
    });
    socket.on('data', (c) => (response += c.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ closedAfterMs: Date.now() - started, response });
    });
    setTimeout(() => {
      socket.destroy();
      reject(new Error('the server kept a trickling connection open for 20 s'));
    }, 20_000).unref();
  });
}

describe('slow clients', () => {
  it('a body sent one byte a second is cut off by the request timeout (408), not held', async () => {
    const head = 'POST /subscribe HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n';
    const r = await trickle(head, 1000);
    expect(r.response).toMatch(/^HTTP\/1\.1 408/);
    // Well before the body could finish (1000 s) and before a generous bound on the 2 s limit.
    expect(r.closedAfterMs).toBeLessThan(10_000);
  }, 30_000);

  it('headers trickled a byte at a time are cut off too', async () => {
    const r = await trickle('GET / HTTP/1.1\r\nX-Slow: ', 1000);
    expect(r.closedAfterMs).toBeLessThan(10_000);
  }, 30_000);

  it('an ordinary request still works', async () => {
    const res = await fetch(`${web.url}/healthz`);
    expect(res.status).toBeLessThan(500);
  });
});
