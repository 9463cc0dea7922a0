import { afterEach, describe, expect, it } from 'vitest';
import { newWebhookSecret, subscriberEventData } from '../../../../src/deliver/webhook-events.js';
import { eraseReader } from '../../../../src/subscriptions/my-data.js';
import { findInSqliteFile } from '../../../helpers/scan-sqlite.js';
import { adminBrowser, type AdminBrowser } from '../../../helpers/admin-browser.js';
import { startWebHarness, type WebHarness } from '../../../helpers/web-harness.js';
import { startWebhookReceiver } from '../../../helpers/webhook-receiver.js';

/** /admin/webhooks: add (secret shown once), list with health, remove, delivery log and resend. */

const ADMIN = 'editor@example.com';
let h: WebHarness;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
  await h?.close();
});

async function start(): Promise<AdminBrowser> {
  h = await startWebHarness({ ADMIN_EMAILS: ADMIN, SEED_SAMPLE_DATA: 'false' });
  return adminBrowser(h, ADMIN);
}

/** The harness's SQLite file, scanned whole for an erased address. */
const dbPath = () => (h.app.config.database as { path: string }).path;

/** The secret as a browser shows it (Handlebars writes base64's `=` as `&#x3D;`). */
const secretIn = (html: string) => /<pre[^>]*data-secret>(whsec_[^<]+)<\/pre>/.exec(html)?.[1]?.replaceAll('&#x3D;', '=');

describe('adding and removing', () => {
  it('refuses a non-http URL, no events and unknown events, keeping what was typed', async () => {
    const b = await start();
    await b.get('/admin/webhooks');
    for (const [fields, message] of [
      [{ url: 'javascript:alert(1)', events: 'subscriber.created' }, 'must be http or https'],
      [{ url: 'ftp://files.example/x', events: 'subscriber.created' }, 'must be http or https'],
      [{ url: 'not a url', events: 'subscriber.created' }, 'is not a URL'],
      [{ url: 'https://hooks.example/a' }, 'no events chosen'],
      [{ url: 'https://hooks.example/a', events: 'subscriber.eaten' }, 'unknown events: subscriber.eaten'],
    ] as const) {
      const r = await b.post('/admin/webhooks', fields);
      expect(r.statusCode, JSON.stringify(fields)).toBe(400);
      expect(r.body).toContain(message);
      expect(r.body).not.toContain('data-secret');
    }
    const kept = await b.post('/admin/webhooks', { url: 'https://hooks.example/"kept"', events: 'subscriber.eaten' });
    expect(kept.body).toContain('value="https://hooks.example/&quot;kept&quot;"');
    expect(await h.app.store.webhooks.list()).toEqual([]);
  });

  it('shows the generated secret once, on the answer to the add, and never again', async () => {
    const b = await start();
    await b.get('/admin/webhooks');
    const added = await b.post('/admin/webhooks', { url: 'https://hooks.example/a', events: ['subscriber.created', 'source.failed'] } as never);
    expect(added.statusCode).toBe(200);
    expect(added.headers['cache-control']).toBe('no-store');
    const secret = secretIn(added.body)!;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    const [stored] = await h.app.store.webhooks.list();
    expect(stored).toMatchObject({ url: 'https://hooks.example/a', events: ['subscriber.created', 'source.failed'], secret });
    for (const url of ['/admin/webhooks', `/admin/webhooks/${stored!.id}`, '/admin']) {
      const page = await b.get(url);
      expect(page.statusCode, url).toBe(200);
      expect(page.body, url).not.toContain(secret.slice(6, 30));
    }
    const list = (await b.get('/admin/webhooks')).body;
    expect(list).toContain('subscriber.created, source.failed');
    expect(list).toContain('no deliveries yet');
    // The same URL twice is refused, as in the CLI.
    expect((await b.post('/admin/webhooks', { url: 'https://hooks.example/a', events: 'source.failed' })).body).toContain('already a webhook');
  });

  it('removes an endpoint with CSRF only', async () => {
    const b = await start();
    const hook = await h.app.store.webhooks.add('https://hooks.example/a', ['source.failed'], newWebhookSecret(), new Date().toISOString());
    await b.get('/admin/webhooks');
    expect((await b.post(`/admin/webhooks/${hook!.id}/remove`, {}, false)).statusCode).toBe(403);
    expect(await h.app.store.webhooks.list()).toHaveLength(1);
    const r = await b.post(`/admin/webhooks/${hook!.id}/remove`);
    expect(r.statusCode).toBe(303);
    expect((await b.get(r.headers.location as string)).body).toContain('Webhook removed');
    expect(await h.app.store.webhooks.list()).toEqual([]);
    expect((await b.post('/admin/webhooks/999/remove')).statusCode).toBe(404);
  });
});

describe('the delivery log', () => {
  it('shows each attempt with its answer and next retry, and resend re-posts with the same webhook-id', async () => {
    const b = await start();
    const receiver = await startWebhookReceiver(newWebhookSecret(), (n) => (n === 1 ? 500 : 204));
    cleanups.push(() => receiver.close());
    await b.get('/admin/webhooks');
    const secret = secretIn((await b.post('/admin/webhooks', { url: receiver.url, events: 'subscriber.created' })).body)!;
    receiver.useSecret(secret);
    const [hook] = await h.app.store.webhooks.list();

    await h.app.events.emit('subscriber.created', { email: 'ann@example.com' });
    await receiver.waitFor(1);
    await h.app.webhookSender.idle();
    let log = (await b.get(`/admin/webhooks/${hook!.id}`)).body;
    expect(log).toContain('the endpoint answered 500');
    const [attempt] = await h.app.store.webhooks.attempts(hook!.id);
    expect(attempt).toMatchObject({ attempt: 1, httpStatus: 500, eventType: 'subscriber.created', nextAttemptAt: expect.any(String) });
    expect(log).toContain(attempt!.nextAttemptAt);
    expect((await b.get('/admin/webhooks')).body).toMatch(/failing, 1 waiting to retry/);

    const [delivery] = await h.app.store.webhooks.log(hook!.id);
    const resendUrl = `/admin/webhooks/${hook!.id}/deliveries/${delivery!.id}/resend`;
    expect((await b.post(resendUrl, {}, false)).statusCode).toBe(403);
    expect((await b.post(`/admin/webhooks/${hook!.id + 1}/deliveries/${delivery!.id}/resend`)).statusCode).toBe(404);
    await b.get(`/admin/webhooks/${hook!.id}`);
    const resent = await b.post(resendUrl);
    expect(resent.statusCode).toBe(303);
    await receiver.waitFor(2);
    await h.app.webhookSender.idle();

    expect(receiver.received.every((r) => r.verified)).toBe(true);
    expect(receiver.received[1]!.headers['webhook-id']).toBe(receiver.received[0]!.headers['webhook-id']);
    expect(receiver.received[1]!.body).toBe(receiver.received[0]!.body);
    log = (await b.get(`/admin/webhooks/${hook!.id}`)).body;
    expect(log).toContain('204 OK');
    expect((await h.app.store.webhooks.attempts(hook!.id)).map((a) => [a.attempt, a.httpStatus, a.nextAttemptAt])).toEqual([
      [2, 204, null],
      [1, 500, attempt!.nextAttemptAt],
    ]);
    expect((await b.get('/admin/webhooks')).body).toContain('working');
  });
});

describe('erasure', () => {
  it('an erased reader\'s address leaves the webhook queue and log with them', async () => {
    await start();
    await h.app.store.webhooks.add('https://hooks.example/a', ['subscriber.created', 'subscriber.unsubscribed'], newWebhookSecret(), new Date().toISOString());
    await h.app.store.subscribers.upsert({ email: 'Gone.Reader@example.com', name: 'Gone', timezone: null, topics: ['world'], status: 'active' }, new Date().toISOString());
    const reader = (await h.app.store.subscribers.findByEmail('gone.reader@example.com'))!;
    await h.app.events.emit('subscriber.created', subscriberEventData(reader));
    await h.app.events.emit('subscriber.created', { email: 'stays@example.com' });
    await h.app.webhookSender.idle();
    expect(findInSqliteFile(dbPath(), 'gone.reader@example.com')).toContain('webhook_deliveries.payload');
    await eraseReader(h.app.store, h.app.secretKey, reader, 'api');
    expect(findInSqliteFile(dbPath(), 'gone.reader@example.com')).toEqual([]);
    expect((await h.app.store.webhooks.log(undefined)).map((d) => JSON.parse(d.payload).data.email)).toEqual(['stays@example.com']);
  });
});
