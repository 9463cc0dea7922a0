import { afterEach, describe, expect, it } from 'vitest';
import { newWebhookSecret } from '../../../src/deliver/webhook-events.js';
import { recordFeedback } from '../../../src/feedback/record-feedback.js';
import { noRefs } from '../../../src/feedback/report.js';
import { startFixtureServer } from '../../helpers/http-fixture-server.js';
import type { App } from '../../../src/main.js';
import { digestApp } from '../../helpers/digest-app.js';
import { seedWorld } from '../../helpers/digest-world.js';
import { linkIn, pathOf, startWebHarness, type WebHarness } from '../../helpers/web-harness.js';
import { startWebhookReceiver } from '../../helpers/webhook-receiver.js';

/** Outbound webhooks against a real local endpoint that verifies Standard Webhooks signatures. */

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function appWithHook(answer: (n: number) => number, events: string[]): Promise<{ app: App; receiver: Awaited<ReturnType<typeof startWebhookReceiver>>; secret: string }> {
  const secret = newWebhookSecret();
  const receiver = await startWebhookReceiver(secret, answer);
  const app = await digestApp({ SEED_SAMPLE_DATA: 'false' }); // retryBaseMs 20: retries come fast
  cleanups.push(() => receiver.close(), () => app.close());
  await app.store.webhooks.add(receiver.url, events, secret, new Date().toISOString());
  return { app, receiver, secret };
}

describe('outbound webhooks', () => {
  it('retries after a 500 with the same webhook-id, and both attempts verify', async () => {
    const { app, receiver } = await appWithHook((n) => (n === 1 ? 500 : 204), ['subscriber.created']);
    await app.events.emit('subscriber.created', { email: 'ann@example.com' });
    await receiver.waitFor(2);
    await app.webhookSender.idle();
    const [first, second] = receiver.received;
    expect(first!.verified && second!.verified).toBe(true);
    expect(second!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
    expect(second!.event).toMatchObject({ type: 'subscriber.created', data: { email: 'ann@example.com' } });
    const [log] = await app.store.webhooks.log(undefined);
    expect(log).toMatchObject({ status: 'delivered', attempts: 2, lastStatus: 204, lastError: null });
  });

  it('a signature made with another secret does not verify (the check can fail)', async () => {
    const receiver = await startWebhookReceiver(newWebhookSecret());
    const app = await digestApp({ SEED_SAMPLE_DATA: 'false' });
    cleanups.push(() => receiver.close(), () => app.close());
    await app.store.webhooks.add(receiver.url, ['source.failed'], newWebhookSecret(), new Date().toISOString());
    await app.events.emit('source.failed', { url: 'https://x.example/feed' });
    await receiver.waitFor(1);
    expect(receiver.received[0]!.verified).toBe(false);
  });

  it('only subscribed events are sent; a run that sent mail reports its summary', async () => {
    const { app, receiver } = await appWithHook(() => 200, ['digest.run.completed']);
    await app.events.emit('subscriber.created', { email: 'nobody@example.com' });
    const now = new Date('2026-11-27T08:00:00Z');
    await seedWorld(app, now, { articles: [{ title: 'Harbour reopens', topics: ['world'], minutesAgo: 60 }], readers: [{ email: 'ann@example.com', topics: ['world'] }] });
    await app.runDigest({ now, force: true });
    await receiver.waitFor(1);
    await app.webhookSender.idle();
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]!.event).toMatchObject({ type: 'digest.run.completed', data: { planned: 1, skipped: 0 } });
    expect(receiver.received[0]!.event!.data).not.toHaveProperty('wouldSend');
  });

  it('a dead endpoint never delays the caller: emit returns with the delivery queued', async () => {
    const { app } = await appWithHook(() => 200, ['subscriber.created']);
    await app.store.webhooks.add('http://127.0.0.1:9/unreachable', ['subscriber.created'], newWebhookSecret(), new Date().toISOString());
    await app.events.emit('subscriber.created', { email: 'ann@example.com' });
    expect(await app.store.webhooks.pendingCount()).toBeGreaterThanOrEqual(1);
    await app.webhookSender.idle();
    const dead = (await app.store.webhooks.log(undefined)).find((d) => d.lastStatus === null);
    expect(dead).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.any(String) });
  });
});

describe('events from feedback and polling', () => {
  it('a complaint emits subscriber.complained; a failing source emits source.failed', async () => {
    const { app, receiver } = await appWithHook(() => 200, ['subscriber.complained', 'source.failed']);
    await seedWorld(app, new Date(), { readers: [{ email: 'ann@example.com', topics: ['world'] }] });
    const report = { kind: 'complaint' as const, format: 'arf' as const, summary: 'abuse report', recipient: 'ann@example.com', refs: noRefs(), reportId: 'r-1' };
    await recordFeedback(app.store, app.feedbackRules, report, { name: 'mail' });
    await recordFeedback(app.store, app.feedbackRules, report, { name: 'mail' }); // the same report again: no second event
    const feed = await startFixtureServer({ '/down.xml': { status: 503, body: 'down' } });
    cleanups.push(() => feed.close());
    await app.store.sources.add({ url: feed.url('/down.xml'), name: null, topics: ['world'], everySeconds: 900 }, new Date().toISOString());
    await app.pollSources({ all: true });
    await receiver.waitFor(2);
    await app.webhookSender.idle();
    expect(receiver.received.map((r) => r.event!.type).sort()).toEqual(['source.failed', 'subscriber.complained']);
    const complained = receiver.received.find((r) => r.event!.type === 'subscriber.complained')!;
    expect(complained.event!.data).toMatchObject({ email: 'ann@example.com', action: 'unsubscribed' });
    const failed = receiver.received.find((r) => r.event!.type === 'source.failed')!;
    expect(failed.event!.data).toMatchObject({ url: feed.url('/down.xml'), status: '503' });
  });
});

describe('events from the web pages', () => {
  let h: WebHarness;
  afterEach(() => h.close());

  it('signup, confirm and unsubscribe each reach the endpoint, signed', async () => {
    const secret = newWebhookSecret();
    const receiver = await startWebhookReceiver(secret);
    cleanups.push(() => receiver.close());
    h = await startWebHarness({ SEED_SAMPLE_DATA: 'false' });
    await h.app.store.webhooks.add(receiver.url, ['subscriber.created', 'subscriber.confirmed', 'subscriber.unsubscribed'], secret, new Date().toISOString());
    await h.signup({ email: 'ana@example.com', name: 'Ana', topics: ['world'] });
    const confirmPath = pathOf(linkIn(h.mailer.to('ana@example.com').at(-1)!, 'https://digest.example/confirm/'));
    await h.post(confirmPath, {}, await h.openForm(confirmPath));
    const s = (await h.app.store.subscribers.findByEmail('ana@example.com'))!;
    const unsubscribePath = pathOf(h.app.links.forSubscriber(s).unsubscribeUrl);
    await h.post(unsubscribePath, {}, await h.openForm(unsubscribePath));
    await receiver.waitFor(3);
    expect(receiver.received.every((r) => r.verified)).toBe(true);
    expect(receiver.received.map((r) => r.event!.type)).toEqual(['subscriber.created', 'subscriber.confirmed', 'subscriber.unsubscribed']);
    expect(receiver.received[0]!.event!.data).toMatchObject({ email: 'ana@example.com', status: 'pending', topics: ['world'] });
    expect(receiver.received[0]!.body).not.toContain(s.signingKey);
  });
});
