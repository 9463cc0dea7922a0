import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/env.js';
import { rssFeed } from '../../helpers/feed-fixture.js';
import { startFixtureServer } from '../../helpers/http-fixture-server.js';
import { startRole, type RoleProcess } from '../../helpers/role-process.js';
import { runCliCaptured } from '../../helpers/run-cli.js';

/** Polls `check` every 250 ms until it returns true or `ms` pass. */
async function eventually(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return true;
    await sleep(250);
  }
  return check();
}

describe('topic-digest start polls sources by itself', () => {
  let role: RoleProcess | undefined;
  let server: Awaited<ReturnType<typeof startFixtureServer>> | undefined;
  afterEach(async () => {
    await role?.stop();
    await server?.close();
  });

  it('picks up a source added while it runs, then a new feed item within the source interval', async () => {
    let version = 1;
    server = await startFixtureServer({
      '/feed.rss': (_req, res) => {
        const items = [{ title: 'First story from the feed', guid: 'a-1' }];
        if (version > 1) items.push({ title: 'Second story from the feed', guid: 'a-2' });
        res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssFeed(items));
      },
    });
    const { dir } = tempDir();
    const env = {
      DATABASE_URL: `sqlite:${dir}/start.db`,
      OUTBOX_DIR: `${dir}/outbox`,
      SECRET_KEY: 'k'.repeat(40),
      SEED_SAMPLE_DATA: 'false',
      SOURCES_POLL_CRON: '* * * * * *', // look every second; each source keeps its own interval
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    };
    const titles = async () => JSON.parse((await runCliCaptured(['articles', 'list', '--json'], env)).out.join('\n')) as Array<{ title: string }>;
    role = startRole(['start'], env);
    expect(await eventually(async () => role!.log().includes('digest scheduler running'), 20_000), role.log()).toBe(true);

    const added = await runCliCaptured(['sources', 'add', server.url('/feed.rss'), '--every', '30s'], env);
    expect(added.code, added.err).toBe(0);
    expect(await eventually(async () => (await titles()).length === 1, 10_000), role.log()).toBe(true);
    version = 2;
    expect(await eventually(async () => (await titles()).length === 2, 45_000), role.log()).toBe(true);
    const list = await runCliCaptured(['sources', 'list', '--json'], env);
    expect(JSON.parse(list.out.join('\n'))[0]).toMatchObject({ lastStatus: '200', itemsSeen: 2, failures: 0, every: '30s' });
    expect(await role.stop()).toBe(0);
  }, 90_000);
});
