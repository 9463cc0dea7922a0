import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eraseReader } from '../../../src/subscriptions/my-data.js';
import { tokensForEachScope, type ScopedTokens } from '../../helpers/api-tokens.js';
import { startWebHarness, type WebHarness } from '../../helpers/web-harness.js';

/** GET /api/v1/subscribers: keyset paging with `next`, filters, limits, and who may call it. */

let h: WebHarness;
let tokens: ScopedTokens;
const READERS = 23;

beforeAll(async () => {
  h = await startWebHarness({ SEED_SAMPLE_DATA: 'false' });
  const s = h.app.store;
  tokens = await tokensForEachScope(s);
  const now = new Date().toISOString();
  for (let i = 0; i < READERS; i++) {
    await s.subscribers.upsert({ email: `reader${String(i).padStart(2, '0')}@example.com`, name: i === 5 ? 'Ann 100%_sure' : `Reader ${i}`, timezone: null, topics: i % 3 === 0 ? ['tech'] : ['world'], status: i % 4 === 0 ? 'pending' : 'active' }, now);
  }
  // An erased reader leaves a stub the API must never list.
  await eraseReader(s, h.app.secretKey, (await s.subscribers.findByEmail('reader07@example.com'))!, 'api');
});
afterAll(() => h.close());

const get = (url: string, token: string | undefined = tokens.read) => h.server.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });

/** Follows `nextUrl` from `url` to the end, returning the addresses in order and the pages seen. */
async function walk(url: string, between?: (page: number) => Promise<void>): Promise<{ emails: string[]; pages: number }> {
  const emails: string[] = [];
  let next: string | null = url;
  let pages = 0;
  while (next) {
    const r = await get(next);
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json() as { subscribers: { email: string }[]; next: string | null; nextUrl: string | null };
    emails.push(...body.subscribers.map((s) => s.email));
    if (body.nextUrl) expect(r.headers.link).toBe(`<https://digest.example${body.nextUrl}>; rel="next"`);
    else expect(r.headers.link).toBeUndefined();
    expect(Boolean(body.next)).toBe(Boolean(body.nextUrl));
    next = body.nextUrl;
    pages++;
    await between?.(pages);
  }
  return { emails, pages };
}

const all = Array.from({ length: READERS }, (_, i) => `reader${String(i).padStart(2, '0')}@example.com`).filter((e) => e !== 'reader07@example.com');

describe('paging', () => {
  it('walks every reader once, oldest first, in pages of `limit`, and the last page has no next', async () => {
    const { emails, pages } = await walk('/api/v1/subscribers?limit=5');
    expect(emails).toEqual(all);
    expect(pages).toBe(Math.ceil(all.length / 5));
    const first = (await get('/api/v1/subscribers')).json();
    expect(first.subscribers).toHaveLength(all.length); // default 100 covers them all
    expect(first.next).toBeNull();
  });

  it('stays stable while readers join mid-walk: nobody twice, nobody missed, the newcomer at the end', async () => {
    const { emails } = await walk('/api/v1/subscribers?limit=4', async (page) => {
      if (page === 2) await h.app.store.subscribers.upsert({ email: 'newcomer@example.com', name: null, timezone: null, topics: ['world'], status: 'active' }, new Date().toISOString());
    });
    expect(emails).toEqual([...all, 'newcomer@example.com']);
    await h.app.store.subscribers.remove('newcomer@example.com');
  });

  it('keeps the filters in the next link', async () => {
    const active = all.filter((_, i) => Number(all[i]!.slice(6, 8)) % 4 !== 0);
    const { emails } = await walk('/api/v1/subscribers?status=active&limit=3');
    expect(emails).toEqual(active);
    const url = (await get('/api/v1/subscribers?status=active&topic=tech&limit=1')).json().nextUrl as string;
    expect(new URL(url, 'https://x').searchParams.get('status')).toBe('active');
    expect(new URL(url, 'https://x').searchParams.get('topic')).toBe('tech');
  });
});

describe('filters', () => {
  const emailsOf = async (url: string) => ((await get(url)).json().subscribers as { email: string }[]).map((s) => s.email);

  it('by status, topic, part of the address or name (wildcards literal), exact address, combined', async () => {
    const n = (e: string) => Number(e.slice(6, 8));
    expect(await emailsOf('/api/v1/subscribers?status=pending')).toEqual(all.filter((e) => n(e) % 4 === 0));
    expect(await emailsOf('/api/v1/subscribers?topic=tech')).toEqual(all.filter((e) => n(e) % 3 === 0));
    expect(await emailsOf('/api/v1/subscribers?topic=tech&status=pending')).toEqual(all.filter((e) => n(e) % 12 === 0));
    expect(await emailsOf('/api/v1/subscribers?q=READER1')).toEqual(all.filter((e) => e.startsWith('reader1')));
    expect(await emailsOf(`/api/v1/subscribers?q=${encodeURIComponent('100%_')}`)).toEqual(['reader05@example.com']);
    expect(await emailsOf(`/api/v1/subscribers?q=${encodeURIComponent('1%')}`)).toEqual([]);
    expect(await emailsOf('/api/v1/subscribers?email=Reader03@EXAMPLE.com')).toEqual(['reader03@example.com']);
    expect(await emailsOf('/api/v1/subscribers?email=reader07@example.com')).toEqual([]); // erased
  });

  it('refuses a bad limit, cursor, status, offset or topic, naming the parameter', async () => {
    for (const [url, field, status] of [
      ['/api/v1/subscribers?limit=0', 'limit', 400],
      ['/api/v1/subscribers?limit=501', 'limit', 400],
      ['/api/v1/subscribers?limit=ten', 'limit', 400],
      ['/api/v1/subscribers?cursor=garbage', 'cursor', 400],
      [`/api/v1/subscribers?cursor=${Buffer.from('s1:-1').toString('base64url')}`, 'cursor', 400],
      ['/api/v1/subscribers?status=sleeping', 'status', 400],
      ['/api/v1/subscribers?offset=100', 'offset', 400],
      ['/api/v1/subscribers?topic=astrology', 'topic', 404],
    ] as const) {
      const r = await get(url);
      expect(r.statusCode, url).toBe(status);
      expect(r.json().errors[0].field, url).toBe(field);
    }
    expect((await get('/api/v1/subscribers?limit=500')).statusCode).toBe(200);
  });
});

describe('who may page', () => {
  it('401 without or with a bad token, 403 with every other scope, 200 with subscribers:read', async () => {
    for (const url of ['/api/v1/subscribers', '/api/v1/subscribers?limit=2&status=active', `/api/v1/subscribers?cursor=${Buffer.from('s1:3').toString('base64url')}`]) {
      const none = await get(url, '');
      expect(none.statusCode, url).toBe(401);
      expect(none.body).not.toContain('@example.com');
      expect((await get(url, 'tdk_' + 'A'.repeat(43))).statusCode, url).toBe(401);
      for (const other of ['write', 'stats', 'articles'] as const) {
        const r = await get(url, tokens[other]);
        expect(r.statusCode, `${url} with ${other}`).toBe(403);
        expect(r.body).not.toContain('@example.com');
      }
      expect((await get(url)).statusCode, url).toBe(200);
    }
  });

  it('openapi.json describes the paging parameters and the page, from the zod schemas', async () => {
    const doc = (await h.get('/api/v1/openapi.json')).json();
    const params = Object.fromEntries((doc.paths['/subscribers'].get.parameters as { name: string; schema: object }[]).map((p) => [p.name, p.schema]));
    expect(Object.keys(params).sort()).toEqual(['cursor', 'email', 'limit', 'q', 'status', 'topic']);
    expect(params.limit).toMatchObject({ minimum: 1, maximum: 500, default: 100 });
    expect(doc.paths['/subscribers'].get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/SubscriberPage' });
    expect(doc.components.schemas.SubscriberPage.properties).toHaveProperty('next');
  });
});
