import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/logger.js';
import { createApp, type App } from '../../../src/main.js';
import { buildServer } from '../../../src/web/server.js';
import { tempDir, testConfig } from '../../helpers/env.js';
import { startMisbehavingSmtp, type MisbehavingSmtp, type SmtpFault } from '../../helpers/misbehaving-smtp.js';
import { csrfTokenIn, encodeForm } from '../../helpers/web-harness.js';

describe('transactional mail goes through the queue: a stalled relay never holds a page', () => {
  let smtp: MisbehavingSmtp | undefined;
  let app: App | undefined;
  let server: FastifyInstance | undefined;
  afterEach(async () => {
    await server?.close();
    await app?.close();
    await smtp?.close();
  });

  async function world(fault: SmtpFault, times: number, timeoutSeconds: number) {
    smtp = await startMisbehavingSmtp(fault, { times });
    const { dir } = tempDir();
    app = await createApp(testConfig(dir, { SMTP_URL: smtp.url, SMTP_TIMEOUT_SECONDS: String(timeoutSeconds), PUBLIC_URL: 'https://digest.example' }), { logger: silentLogger, retryBaseMs: 10 });
    server = await buildServer(app);
  }

  async function signup(email: string) {
    const form = await server!.inject({ method: 'GET', url: '/' });
    const cookies = Object.fromEntries(form.cookies.map((c) => [c.name, c.value]));
    const started = Date.now();
    const res = await server!.inject({
      method: 'POST',
      url: '/subscribe',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: encodeForm({ _csrf: csrfTokenIn(form.body)!, email, topics: ['world'], timezone: 'UTC' }),
      cookies,
    });
    return { res, ms: Date.now() - started };
  }

  it('answers POST /subscribe while the relay sits silent after DATA; the email ends uncertain, not resent; /healthz shows it', async () => {
    await world('silent-after-data', 10, 6);
    const { res, ms } = await signup('ann@example.com');
    expect(res.statusCode).toBe(200);
    // The relay will not answer for 6 s; the page does not wait for it.
    expect(ms).toBeLessThan(3_000);
    await smtp!.waitFor((m) => m.length === 1);
    const during = (await server!.inject({ method: 'GET', url: '/healthz' })).json();
    expect(during).toMatchObject({ status: 'ok', mailQueue: { depth: 1, uncertain: 0 } });

    await app!.mailQueue.sender.idle();
    expect((await server!.inject({ method: 'GET', url: '/healthz' })).json()).toMatchObject({ mailQueue: { depth: 0, oldestAgeSeconds: 0, uncertain: 1 } });
    app!.mailQueue.sender.kick();
    await app!.mailQueue.sender.idle();
    expect(smtp!.messages).toHaveLength(1); // never sent twice
    const row = await app!.store.db.selectFrom('mail_queue').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ kind: 'confirmation', status: 'sending', lease_until: null, to_address: 'ann@example.com' });
    expect(row.error).toMatch(/^no reply after DATA/);
  }, 30_000);

  it('retries a confirmation the relay refused before DATA, and sends it once', async () => {
    await world('reset-before-data', 2, 2);
    const { res } = await signup('bo@example.com');
    expect(res.statusCode).toBe(200);
    for (let i = 0; i < 50 && smtp!.messages.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      app!.mailQueue.sender.kick(); // a started sender polls; here the test nudges it past the backoff
    }
    await app!.mailQueue.sender.idle();
    expect(smtp!.to('bo@example.com')).toHaveLength(1);
    expect(smtp!.injected()).toBe(2);
    expect(await app!.store.db.selectFrom('mail_queue').select(['status', 'attempts']).executeTakeFirstOrThrow()).toEqual({ status: 'sent', attempts: 3 });
  }, 30_000);
});
