import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookSender } from '../../../src/deliver/webhook-sender.js';
import { newWebhookSecret, parseWebhookEvents, isWebhookSecret } from '../../../src/deliver/webhook-events.js';
import { silentLogger } from '../../../src/logger.js';
import type { DueWebhookDelivery } from '../../../src/store/webhook-repository.js';

/** The retry policy: exponential backoff, and a failed mark once the next try would be past 24 hours. */

let url = '';
const server = createServer((_req, res) => res.writeHead(503).end());
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function fakeQueue(delivery: Omit<DueWebhookDelivery, 'url'>) {
  const finished: { status: string; retryAt?: Date; httpStatus: number | null }[] = [];
  let given = false;
  return {
    finished,
    claimNext: async () => (given ? undefined : ((given = true), { ...delivery, url })),
    finish: async (_id: number, outcome: { status: string; retryAt?: Date; httpStatus: number | null }) => void finished.push(outcome),
  };
}

const base = { id: 1, webhookId: 1, messageId: 'msg_1', eventType: 'source.failed', payload: '{}', status: 'pending' as const, nextAttemptAt: '', lastStatus: null, lastError: null, finishedAt: null, secret: newWebhookSecret() };

describe('the webhook sender', () => {
  it('backs off exponentially: attempt 3 waits 4 × the base', async () => {
    const now = new Date('2026-11-27T10:00:00Z');
    const q = fakeQueue({ ...base, attempts: 3, createdAt: '2026-11-27T09:00:00.000Z' });
    const sender = createWebhookSender({ webhooks: q, logger: silentLogger }, { retryBaseMs: 60_000, now: () => now });
    sender.kick();
    await sender.idle();
    await sender.stop();
    expect(q.finished).toEqual([expect.objectContaining({ status: 'pending', httpStatus: 503, retryAt: new Date(now.getTime() + 240_000) })]);
  });

  it('gives up (failed) when the next try would fall past 24 hours after the event', async () => {
    const now = new Date('2026-11-28T08:30:00Z');
    const q = fakeQueue({ ...base, attempts: 12, createdAt: '2026-11-27T09:00:00.000Z' });
    const sender = createWebhookSender({ webhooks: q, logger: silentLogger }, { retryBaseMs: 60_000, now: () => now });
    sender.kick();
    await sender.idle();
    await sender.stop();
    expect(q.finished).toEqual([expect.objectContaining({ status: 'failed', httpStatus: 503 })]);
  });
});

describe('webhook settings', () => {
  it('reads event lists and secrets strictly', () => {
    expect(parseWebhookEvents('subscriber.created, digest.run.completed')).toEqual(['subscriber.created', 'digest.run.completed']);
    expect(parseWebhookEvents('subscriber.created,nope')).toEqual({ unknown: ['nope'] });
    expect(parseWebhookEvents(' , ')).toEqual({ unknown: [] });
    expect(isWebhookSecret(newWebhookSecret())).toBe(true);
    expect(isWebhookSecret('whsec_c2hvcnQ=')).toBe(false);
    expect(isWebhookSecret('secret')).toBe(false);
  });
});
