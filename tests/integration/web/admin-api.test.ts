import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedWorld } from '../../helpers/digest-world.js';
import { tokensForEachScope, type ScopedTokens } from '../../helpers/api-tokens.js';
import { startWebHarness, type WebHarness } from '../../helpers/web-harness.js';

/** The admin API: each scope admits its endpoints and no others; subscribers, stats, editions. */

let h: WebHarness;
let tokens: ScopedTokens;
beforeEach(async () => {
  h = await startWebHarness({ SEED_SAMPLE_DATA: 'false' });
  tokens = await tokensForEachScope(h.app.store);
});
afterEach(() => h.close());

const call = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, token?: string, payload?: unknown) => {
  const r = await h.server.inject({ method, url, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(payload !== undefined ? { payload: JSON.stringify(payload) } : {}) });
  await h.app.mailQueue.sender.idle();
  return r;
};

describe('admin API scopes', () => {
  it('401 without or with a bad token, 403 without the scope, on every endpoint', async () => {
    const endpoints: [('GET' | 'POST' | 'PATCH' | 'DELETE'), string, keyof typeof tokens, unknown?][] = [
      ['GET', '/api/v1/subscribers', 'read'],
      ['GET', '/api/v1/subscribers/abc/export', 'read'],
      ['POST', '/api/v1/subscribers', 'write', { email: 'x@example.com', topics: ['world'] }],
      ['PATCH', '/api/v1/subscribers/abc', 'write', { paused: true }],
      ['DELETE', '/api/v1/subscribers/abc', 'write'],
      ['GET', '/api/v1/stats?days=3', 'stats'],
      ['GET', '/api/v1/editions', 'stats'],
      ['GET', '/api/v1/editions/nope', 'stats'],
    ];
    for (const [method, url, allowed, body] of endpoints) {
      expect((await call(method, url, undefined, body)).statusCode, `${method} ${url} without a token`).toBe(401);
      expect((await call(method, url, 'tdk_' + 'A'.repeat(43), body)).statusCode, `${method} ${url} with a bad token`).toBe(401);
      for (const other of Object.keys(tokens) as (keyof typeof tokens)[]) {
        if (other === allowed) continue;
        expect((await call(method, url, tokens[other], body)).statusCode, `${method} ${url} with ${other}`).toBe(403);
      }
      expect([200, 201, 404]).toContain((await call(method, url, tokens[allowed], body)).statusCode);
    }
    expect(await h.app.store.subscribers.count()).toBe(1); // only the one authorised POST wrote
  });
});

describe('subscribers', () => {
  it('creates active or pending with double opt-in, reads, patches, exports and erases', async () => {
    const made = await call('POST', '/api/v1/subscribers', tokens.write, { email: 'Ann@Example.com', name: 'Ann', topics: ['world'], timezone: 'Europe/London' });
    expect(made.statusCode).toBe(201);
    const ann = made.json();
    expect(ann).toMatchObject({ email: 'Ann@example.com', status: 'active', topics: ['world'], id: expect.any(String) });
    expect(ann).not.toHaveProperty('signingKey');
    expect(h.mailer.sent).toHaveLength(0);

    const pending = await call('POST', '/api/v1/subscribers', tokens.write, { email: 'bob@example.com', topics: ['world', 'tech'], doubleOptIn: true });
    expect(pending.json()).toMatchObject({ status: 'pending' });
    expect(h.mailer.to('bob@example.com').map((m) => m.subject).join()).toMatch(/confirm/i);

    const bad = await call('POST', '/api/v1/subscribers', tokens.write, { email: 'not-an-address', topics: ['astrology'], extra: 1 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].message).toMatch(/extra|unrecognized/i);
    const badTopic = await call('POST', '/api/v1/subscribers', tokens.write, { email: 'cy@example.com', topics: ['astrology'] });
    expect(badTopic.statusCode).toBe(400);
    expect(badTopic.json().errors[0].message).toMatch(/astrology/);

    const list = (await call('GET', '/api/v1/subscribers?status=active', tokens.read)).json();
    expect(list.subscribers.map((s: { email: string }) => s.email)).toEqual(['Ann@example.com']);
    expect((await call('GET', `/api/v1/subscribers?email=bob@example.com`, tokens.read)).json().subscribers[0].status).toBe('pending');

    const patched = await call('PATCH', `/api/v1/subscribers/${ann.id}`, tokens.write, { topics: ['tech'], paused: true, name: null });
    expect(patched.json()).toMatchObject({ topics: ['tech'], paused: true, name: null, status: 'active' });
    const bobId = pending.json().id;
    expect((await call('PATCH', `/api/v1/subscribers/${bobId}`, tokens.write, { name: 'Bob' })).json()).toMatchObject({ status: 'pending', name: 'Bob' });

    const exported = (await call('GET', `/api/v1/subscribers/${ann.id}/export`, tokens.read)).json();
    expect(exported.profile).toMatchObject({ email: 'Ann@example.com', status: 'active' });

    expect((await call('PATCH', `/api/v1/subscribers/${ann.id}`, tokens.write, { status: 'unsubscribed' })).json().status).toBe('unsubscribed');
    const consent = (await call('GET', `/api/v1/subscribers/${ann.id}/export`, tokens.read)).json().consent;
    // Every change is evidenced, whichever door it came through: the PATCH of topics, pause and name too.
    expect(consent.map((c: { action: string; source: string }) => [c.action, c.source])).toEqual([['add', 'api'], ['change', 'api'], ['unsubscribe', 'api']]);
    const again = await call('POST', '/api/v1/subscribers', tokens.write, { email: 'ann@example.com', topics: ['world'] });
    expect(again.statusCode).toBe(409);

    expect((await call('DELETE', `/api/v1/subscribers/${ann.id}`, tokens.write)).json()).toEqual({ id: ann.id, erased: true });
    expect((await call('GET', `/api/v1/subscribers/${ann.id}`, tokens.read)).statusCode).toBe(404);
  });
});

describe('stats and editions', () => {
  it('serves the per-day stats and the sent editions', async () => {
    const now = new Date();
    await seedWorld(h.app, now, { articles: [{ title: 'Harbour reopens', topics: ['world'], minutesAgo: 30 }], readers: [{ email: 'ann@example.com', topics: ['world'] }] });
    expect(await h.app.runDigest({ now, force: true })).toMatchObject({ sent: 1 });
    const stats = await call('GET', '/api/v1/stats?days=7', tokens.stats);
    expect(stats.json().days).toHaveLength(7);
    expect(stats.json().days.at(-1)).toMatchObject({ sent: 1, hardBounces: 0 });
    expect((await call('GET', '/api/v1/stats?days=0', tokens.stats)).statusCode).toBe(400);
    const editions = (await call('GET', '/api/v1/editions', tokens.stats)).json().editions;
    expect(editions).toHaveLength(1);
    const one = (await call('GET', `/api/v1/editions/${encodeURIComponent(editions[0].key)}`, tokens.stats)).json();
    expect(one.html).toContain('Harbour reopens');
  });

  it('the one openapi.json describes the admin endpoints with their schemas', async () => {
    const doc = (await h.get('/api/v1/openapi.json')).json();
    for (const p of ['/articles', '/subscribers', '/subscribers/{id}', '/subscribers/{id}/export', '/stats', '/editions', '/editions/{key}']) expect(doc.paths).toHaveProperty(p);
    expect(doc.components.schemas.SubscriberCreate.required).toEqual(['email', 'topics']);
    expect(doc.components.securitySchemes.bearer.description).toContain('subscribers:write');
  });
});
