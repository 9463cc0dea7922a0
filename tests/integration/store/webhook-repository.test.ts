import { describe, expect, it } from 'vitest';
import { testDialects } from '../../helpers/dialects.js';
import { storePerTest } from '../../helpers/store-per-test.js';

const T0 = new Date('2026-11-27T08:00:00.000Z');
const later = (s: number) => new Date(T0.getTime() + s * 1000);

/** The outbound webhook queue on each dialect: fan-out by event, leased claims, retry, resend, removal. */
describe.each(testDialects())('webhook queue on %s', (dialect) => {
  const s = storePerTest(dialect);

  it('queues an event only for subscribed endpoints, claims each once, and retries when due', async () => {
    const store = s.store();
    const a = (await store.webhooks.add('https://a.example/h', ['subscriber.created', 'source.failed'], 'whsec_a', T0.toISOString()))!;
    await store.webhooks.add('https://b.example/h', ['source.failed'], 'whsec_b', T0.toISOString());
    expect(await store.webhooks.add('https://a.example/h', ['source.failed'], 'whsec_c', T0.toISOString())).toBeUndefined();
    expect(await store.webhooks.enqueue('subscriber.created', '{"x":1}', 'msg_1', T0.toISOString())).toBe(1);
    expect(await store.webhooks.enqueue('subscriber', '{}', 'msg_x', T0.toISOString())).toBe(0); // whole names only
    expect(await store.webhooks.pendingCount()).toBe(1);

    const first = (await store.webhooks.claimNext(later(1), 60))!;
    expect(first).toMatchObject({ webhookId: a.id, url: 'https://a.example/h', secret: 'whsec_a', attempts: 1, messageId: 'msg_1' });
    expect(await store.webhooks.claimNext(later(2), 60)).toBeUndefined(); // leased
    await store.webhooks.finish(first.id, { status: 'pending', httpStatus: 500, error: 'the endpoint answered 500', retryAt: later(100) }, later(2));
    expect(await store.webhooks.claimNext(later(50), 60)).toBeUndefined(); // not due yet
    const again = (await store.webhooks.claimNext(later(101), 60))!;
    expect(again).toMatchObject({ id: first.id, attempts: 2, messageId: 'msg_1', lastStatus: 500 });
    await store.webhooks.finish(again.id, { status: 'delivered', httpStatus: 200, error: null }, later(102));
    expect(await store.webhooks.get(first.id)).toMatchObject({ status: 'delivered', attempts: 2, lastStatus: 200, lastError: null, finishedAt: later(102).toISOString() });
    expect(await store.webhooks.pendingCount()).toBe(0);

    expect(await store.webhooks.resend(first.id, later(200).toISOString())).toBe(true);
    expect(await store.webhooks.claimNext(later(201), 60)).toMatchObject({ id: first.id, attempts: 3 });
    expect(await store.webhooks.resend(999, later(200).toISOString())).toBe(false);

    expect(await store.webhooks.remove(String(a.id))).toBe(true);
    expect(await store.webhooks.log(undefined)).toEqual([]); // the log goes with the endpoint
    expect(await store.webhooks.remove('https://b.example/h')).toBe(true);
    expect(await store.webhooks.list()).toEqual([]);
  });

  it('logs every attempt with its number, answer and next retry; health says when each last worked and failed', async () => {
    const store = s.store();
    const a = (await store.webhooks.add('https://a.example/h', ['source.failed'], 'whsec_a', T0.toISOString()))!;
    const b = (await store.webhooks.add('https://b.example/h', ['source.failed'], 'whsec_b', T0.toISOString()))!;
    await store.webhooks.enqueue('source.failed', '{}', 'msg_1', T0.toISOString());
    const ids: Record<string, number> = {};
    for (let i = 0; i < 2; i++) {
      const d = (await store.webhooks.claimNext(later(1), 60))!;
      ids[d.url] = d.id;
      // a fails once (timeout: no status), b fails for good with a 410.
      if (d.webhookId === a.id) await store.webhooks.finish(d.id, { status: 'pending', httpStatus: null, error: 'no answer within 10 s', retryAt: later(100) }, later(2));
      else await store.webhooks.finish(d.id, { status: 'failed', httpStatus: 410, error: 'the endpoint answered 410' }, later(3));
    }
    const retry = (await store.webhooks.claimNext(later(101), 60))!;
    // Resend refuses a delivery a sender holds right now: clearing its lease would post it twice.
    expect(await store.webhooks.resend(retry.id, later(102).toISOString())).toBe(false);
    await store.webhooks.finish(retry.id, { status: 'delivered', httpStatus: 200, error: null }, later(103));

    expect((await store.webhooks.attempts(a.id)).map((x) => [x.deliveryId, x.attempt, x.httpStatus, x.error, x.nextAttemptAt, x.eventType, x.deliveryStatus])).toEqual([
      [ids['https://a.example/h'], 2, 200, null, null, 'source.failed', 'delivered'],
      [ids['https://a.example/h'], 1, null, 'no answer within 10 s', later(100).toISOString(), 'source.failed', 'delivered'],
    ]);
    const health = await store.webhooks.health();
    expect(health.get(a.id)).toEqual({ lastSuccessAt: later(103).toISOString(), lastFailureAt: later(2).toISOString(), lastError: 'no answer within 10 s', pending: 0 });
    expect(health.get(b.id)).toEqual({ lastSuccessAt: null, lastFailureAt: later(3).toISOString(), lastError: 'the endpoint answered 410', pending: 0 });

    expect(await store.webhooks.resend(ids['https://b.example/h']!, later(200).toISOString())).toBe(true);
    expect((await store.webhooks.health()).get(b.id)?.pending).toBe(1);
    // Removing an endpoint takes its attempts with it.
    expect(await store.webhooks.remove(String(a.id))).toBe(true);
    expect(await store.webhooks.attempts(a.id)).toEqual([]);
  });

  it('retention deletes finished deliveries older than the cut, with their attempts, and keeps pending ones', async () => {
    const store = s.store();
    const hook = (await store.webhooks.add('https://a.example/h', ['source.failed'], 'whsec_a', T0.toISOString()))!;
    for (const m of ['old-done', 'old-pending', 'new-done']) await store.webhooks.enqueue('source.failed', '{}', m, (m.startsWith('old') ? T0 : later(86_400)).toISOString());
    // The old pending one waits for a retry far off, so only the two others are claimed.
    await store.db.updateTable('webhook_deliveries').set({ next_attempt_at: later(999_999).toISOString() }).where('message_id', '=', 'old-pending').execute();
    for (const m of ['old-done', 'new-done']) {
      const d = (await store.webhooks.log(hook.id)).find((x) => x.messageId === m)!;
      await store.db.updateTable('webhook_deliveries').set({ next_attempt_at: T0.toISOString() }).where('id', '=', d.id).execute();
      const claimed = (await store.webhooks.claimNext(later(90_000), 60))!;
      expect(claimed.messageId).toBe(m);
      await store.webhooks.finish(claimed.id, { status: 'delivered', httpStatus: 200, error: null }, later(90_001));
    }
    expect(await store.webhooks.attempts(hook.id)).toHaveLength(2);
    expect(await store.webhooks.pruneFinished(later(3_600).toISOString())).toBe(1);
    expect((await store.webhooks.log(hook.id)).map((d) => d.messageId).sort()).toEqual(['new-done', 'old-pending']);
    expect((await store.webhooks.attempts(hook.id)).map((a) => a.attempt)).toEqual([1]);
    expect(await store.webhooks.pruneFinished(later(3_600).toISOString())).toBe(0);
  });

  it('forgets an erased address in any case, matching it whole (LIKE wildcards literal)', async () => {
    const store = s.store();
    await store.webhooks.add('https://a.example/h', ['subscriber.created'], 'whsec_a', T0.toISOString());
    const payload = (email: string) => JSON.stringify({ type: 'subscriber.created', data: { email, name: 'X' } });
    for (const [i, email] of ['Ann@Example.com', 'bob_x@example.com', 'bobzx@example.com', 'ann@example.community'].entries()) {
      await store.webhooks.enqueue('subscriber.created', payload(email), `m${i}`, T0.toISOString());
    }
    expect(await store.webhooks.forgetAddress('ann@example.com')).toBe(1);
    expect(await store.webhooks.forgetAddress('bob_x@example.com')).toBe(1);
    expect((await store.webhooks.log(undefined)).map((d) => JSON.parse(d.payload).data.email).sort()).toEqual(['ann@example.community', 'bobzx@example.com']);
  });
});
