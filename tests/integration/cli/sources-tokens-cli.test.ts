import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/env.js';
import { rssFeed } from '../../helpers/feed-fixture.js';
import { startFixtureServer } from '../../helpers/http-fixture-server.js';
import { runCliCaptured } from '../../helpers/run-cli.js';

let server: Awaited<ReturnType<typeof startFixtureServer>>;
const agents: string[] = [];
beforeAll(async () => {
  server = await startFixtureServer({
    '/a.rss': (req, res) => {
      agents.push(String(req.headers['user-agent']));
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssFeed([{ title: 'Taipei hosts talks', guid: 't-1' }]));
    },
    '/down.rss': { status: 503, body: 'down' },
  });
});
afterAll(() => server.close());

function envFor() {
  const { dir } = tempDir();
  return { DATABASE_URL: `sqlite:${dir}/t.db`, OUTBOX_DIR: `${dir}/outbox`, SECRET_KEY: 'k'.repeat(40), SEED_SAMPLE_DATA: 'false', LOG_LEVEL: 'silent', PUBLIC_URL: 'https://news.example' };
}

describe('sources commands', () => {
  it('adds, polls, lists and removes; refuses bad intervals, topics and duplicates', async () => {
    const env = envFor();
    expect((await runCliCaptured(['sources', 'add', server.url('/a.rss'), '--every', '10s'], env)).err).toMatch(/at least 30s/);
    expect((await runCliCaptured(['sources', 'add', 'ftp://x'], env)).code).toBe(2);
    expect((await runCliCaptured(['sources', 'add', server.url('/a.rss'), '--topics', 'nope'], env)).err).toMatch(/no topic "nope"/);
    expect((await runCliCaptured(['sources', 'add', server.url('/a.rss'), '--topics', 'taiwan', '--name', 'Gazette'], env)).code).toBe(0);
    expect((await runCliCaptured(['sources', 'add', server.url('/a.rss')], env)).err).toMatch(/already a source/);
    await runCliCaptured(['sources', 'add', server.url('/down.rss'), '--every', '1h'], env);

    const poll = await runCliCaptured(['sources', 'poll'], env);
    expect(poll.code).toBe(0);
    expect(poll.out.join('\n')).toMatch(/200: 1 items, 1 inserted/);
    expect(poll.out.join('\n')).toMatch(/FAILED 503/);
    expect(agents).toEqual(['topic-digest/0.1 (+https://news.example)']);
    expect((await runCliCaptured(['sources', 'poll'], env)).out).toEqual(['no source is due (use --all to poll them all now)']);

    const list = JSON.parse((await runCliCaptured(['sources', 'list', '--json'], env)).out.join('\n')) as Array<Record<string, unknown>>;
    expect(Object.keys(list[0]!)).toEqual(['id', 'url', 'name', 'every', 'lastFetchedAt', 'lastStatus', 'lastError', 'itemsSeen', 'nextDueAt', 'failures']);
    expect(list[0]).toMatchObject({ name: 'Gazette', every: '15m', lastStatus: '200', itemsSeen: 1, failures: 0 });
    expect(list[1]).toMatchObject({ every: '1h', lastStatus: '503', failures: 1 });
    expect(String(list[1]!.lastError)).toMatch(/HTTP 503/);

    const articles = JSON.parse((await runCliCaptured(['articles', 'list', '--json'], env)).out.join('\n')) as Array<{ topics: string[] }>;
    expect(articles[0]!.topics).toContain('taiwan');

    expect((await runCliCaptured(['sources', 'remove', server.url('/down.rss')], env)).code).toBe(0);
    expect((await runCliCaptured(['sources', 'remove', '99'], env)).code).toBe(1);
    expect(JSON.parse((await runCliCaptured(['sources', 'list', '--json'], env)).out.join('\n'))).toHaveLength(1);
  }, 30_000);
});

describe('api-tokens commands', () => {
  it('prints a token once, lists names only, revokes', async () => {
    const env = envFor();
    const created = await runCliCaptured(['api-tokens', 'create', '--name', 'cms'], env);
    expect(created.code).toBe(0);
    expect(created.out[0]).toMatch(/^tdk_[A-Za-z0-9_-]{43}$/);
    expect((await runCliCaptured(['api-tokens', 'create', '--name', 'cms'], env)).err).toMatch(/already exists/);
    expect((await runCliCaptured(['api-tokens', 'create', '--name', 'x', '--scopes', 'admin:all'], env)).err).toMatch(/unknown scope/);
    const list = await runCliCaptured(['api-tokens', 'list'], env);
    expect(list.out.join('\n')).toMatch(/cms {2}articles:write/);
    expect(list.out.join('\n')).not.toContain(created.out[0]!.slice(4));
    expect((await runCliCaptured(['api-tokens', 'revoke', 'cms'], env)).code).toBe(0);
    expect((await runCliCaptured(['api-tokens', 'revoke', 'cms'], env)).code).toBe(1);
  }, 30_000);
});
