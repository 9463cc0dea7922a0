import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiToken } from '../../../src/security/api-token.js';
import { startWebServer } from '../../../src/web/server.js';
import { seedWorld } from '../../helpers/digest-world.js';
import { startWebHarness, type WebHarness } from '../../helpers/web-harness.js';

let h: WebHarness;
let token: string;
beforeEach(async () => {
  h = await startWebHarness({ API_MAX_BODY_BYTES: '20000', API_RATE_PER_MINUTE: '5', SEED_SAMPLE_DATA: 'false' });
  token = await createApiToken(h.app.store, 'cms', ['articles:write']);
});
afterEach(() => h.close());

const post = (payload: unknown, auth: string | null = `Bearer ${token}`) =>
  h.server.inject({ method: 'POST', url: '/api/v1/articles', headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) }, payload: JSON.stringify(payload) });

const story = (extra: Record<string, unknown> = {}) => ({ guid: 'cms-1', title: 'Harbour tunnel opens early', summary: 'Commuters cheer.', body: 'The tunnel opened.', topics: ['china'], ...extra });

describe('POST /api/v1/articles', () => {
  it('creates, then updates the same story by guid (idempotent)', async () => {
    const first = await post(story());
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ inserted: 1, updated: 0, ids: [1] });
    const again = await post([story({ title: 'Harbour tunnel opens two weeks early', image: { url: '/static/harbour-skyline.png', caption: 'The harbour.', credit: 'Staff' } })]);
    expect(again.json()).toEqual({ inserted: 0, updated: 1, ids: [1] });
    expect((await post({ articles: [story({ guid: 'cms-2', title: 'Second story' })] })).json()).toEqual({ inserted: 1, updated: 0, ids: [2] });
    const a = (await h.app.store.articles.list()).find((x) => x.id === 1);
    expect(a).toMatchObject({ title: 'Harbour tunnel opens two weeks early', image: { url: 'https://digest.example/static/harbour-skyline.png' } });
  });

  it('refuses a bad batch whole, naming each item and field', async () => {
    const r = await post([story({ guid: 'ok' }), story({ guid: 'x', title: '' }), story({ guid: 'y', published_at: '2025-02-30' })]);
    expect(r.statusCode).toBe(400);
    const errors = r.json().errors as Array<{ index: number; field: string }>;
    expect(errors.map((e) => [e.index, e.field])).toEqual([[1, 'title'], [2, 'published_at']]);
    const long = await post([story({ guid: 'a' }), story({ guid: 'b', title: 'x'.repeat(301) })]);
    expect(long.statusCode).toBe(400);
    expect(long.json().errors[0]).toMatchObject({ index: 1, field: 'title' });
    const topic = await post(story({ topics: ['astrology'] }));
    expect(topic.json().errors[0]).toMatchObject({ index: 0, field: 'topics' });
    expect(await h.app.store.articles.count()).toBe(0);
  });

  it('answers 401, 403, 413 and 429 as JSON', async () => {
    expect((await post(story(), null)).statusCode).toBe(401);
    const bad = await post(story(), 'Bearer tdk_' + 'A'.repeat(43));
    expect(bad.statusCode).toBe(401);
    expect(bad.headers['www-authenticate']).toMatch(/invalid_token/);
    await h.app.store.apiTokens.create('reader', 'f'.repeat(64), ['stats:read'], new Date().toISOString());
    const noScope = await createApiToken(h.app.store, 'other', ['articles:write']);
    await h.app.store.db.updateTable('api_tokens').set({ scopes: 'stats:read' }).where('name', '=', 'other').execute();
    expect((await post(story(), `Bearer ${noScope}`)).statusCode).toBe(403);
    const big = await post(story({ body: 'x'.repeat(30_000) }));
    expect(big.statusCode).toBe(413);
    expect(big.json().errors[0].message).toMatch(/API_MAX_BODY_BYTES/);
    for (let i = 0; i < 4; i++) expect((await post(story())).statusCode).toBe(200); // 5 a minute: the 413 counted too
    const limited = await post(story());
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('60');
  });

  it('answers broken JSON, a wrong content type and an empty array with JSON errors', async () => {
    const headers = { authorization: `Bearer ${token}` };
    const broken = await h.server.inject({ method: 'POST', url: '/api/v1/articles', headers: { ...headers, 'content-type': 'application/json' }, payload: '{"title": ' });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().errors[0].message).toBeTruthy();
    const text = await h.server.inject({ method: 'POST', url: '/api/v1/articles', headers: { ...headers, 'content-type': 'text/plain' }, payload: 'hello' });
    expect(text.statusCode).toBe(415);
    expect(text.json().errors).toHaveLength(1);
    expect((await post([])).statusCode).toBe(400);
    expect((await h.server.inject({ method: 'GET', url: '/api/v1/nothing' })).json().errors[0].message).toMatch(/openapi/);
  });

  it('stops accepting a revoked token', async () => {
    expect((await post(story())).statusCode).toBe(200);
    await h.app.store.apiTokens.revoke('cms');
    expect((await post(story())).statusCode).toBe(401);
  });
});

describe('DELETE /api/v1/articles/:id', () => {
  it('withdraws a story: a planned digest holding it is planned again without it', async () => {
    const now = new Date();
    const { articleIds } = await seedWorld(h.app, now, {
      articles: [{ title: 'Keep me', topics: ['world'], minutesAgo: 30 }, { title: 'Pull me', topics: ['world'], minutesAgo: 20 }],
      readers: [{ email: 'ann@example.com', topics: ['world'] }],
    });
    await h.app.runDigest({ now, force: true, planOnly: true });
    const [before] = await h.app.store.deliveries.list();
    const withdrawn = await h.server.inject({ method: 'DELETE', url: `/api/v1/articles/${articleIds[1]}`, headers: { authorization: `Bearer ${token}` } });
    expect(withdrawn.json()).toEqual({ id: articleIds[1], withdrawn: true, replanned: 1 });
    await h.app.runDigest({ now: new Date(now.getTime() + 1000), force: true, planOnly: true });
    const [after] = await h.app.store.deliveries.list();
    expect(after!.status).toBe('planned');
    expect(after!.editionKey).not.toBe(before!.editionKey);
    const edition = await h.app.store.editions.get(after!.editionKey!);
    expect(edition!.articleIds).toEqual([articleIds[0]]);
    expect(edition!.html).toContain('Keep me');
    expect(edition!.html).not.toContain('Pull me');
    expect((await h.server.inject({ method: 'DELETE', url: '/api/v1/articles/999', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(404);
    expect((await h.server.inject({ method: 'DELETE', url: `/api/v1/articles/${articleIds[0]}` })).statusCode).toBe(401);
  });
});

describe('the API over a real port', () => {
  it('serves the OpenAPI document and takes a push', async () => {
    const web = await startWebServer(h.app, { port: 0, host: '127.0.0.1' });
    try {
      const doc = (await (await fetch(`${web.url}/api/v1/openapi.json`)).json()) as { openapi: string; components: { schemas: { Article: { properties: Record<string, unknown> } } } };
      expect(doc.openapi).toBe('3.1.0');
      expect(Object.keys(doc.components.schemas.Article.properties)).toEqual(expect.arrayContaining(['title', 'guid', 'url', 'topics', 'published_at', 'image']));
      const r = await fetch(`${web.url}/api/v1/articles`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(story()) });
      expect(r.status).toBe(200);
      expect(await r.json()).toEqual({ inserted: 1, updated: 0, ids: [1] });
    } finally {
      await web.close();
    }
  });
});
