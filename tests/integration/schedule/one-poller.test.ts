import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/logger.js';
import { createApp, type App } from '../../../src/main.js';
import { startSourcePoller } from '../../../src/schedule/source-poller.js';
import { databasePerTest, testDialects } from '../../helpers/dialects.js';
import { tempDir, testConfig } from '../../helpers/env.js';
import { rssFeed } from '../../helpers/feed-fixture.js';
import { startFixtureServer } from '../../helpers/http-fixture-server.js';

describe.each(testDialects())('one source poller at a time on %s', (dialect) => {
  const database = databasePerTest(dialect);
  const apps: App[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.close()));
  });

  it('two processes ticking together fetch each due source once', async () => {
    let hits = 0;
    const server = await startFixtureServer({
      '/slowish.rss': (_req, res) => {
        hits++;
        // Slow enough that the second poller ticks while the first still holds the lock.
        setTimeout(() => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssFeed([{ title: 'Only once', guid: 'o-1' }])), 300);
      },
    });
    try {
      const { dir } = tempDir();
      const url = await database.cleanUrl(dir);
      for (let i = 0; i < 2; i++) apps.push(await createApp(testConfig(dir, { DATABASE_URL: url, SEED_SAMPLE_DATA: 'false' }), { logger: silentLogger }));
      await apps[0]!.store.sources.add({ url: server.url('/slowish.rss'), name: null, topics: [], everySeconds: 60 }, new Date().toISOString());
      // A cron that never fires during the test: only the explicit ticks run.
      const pollers = apps.map((a) => startSourcePoller({ ...a, locks: a.store.locks }, '0 0 1 1 *', { runAtStart: false }));
      const [a, b] = await Promise.all(pollers.map((p) => p.tick()));
      await Promise.all(pollers.map((p) => p.stop()));
      expect(hits).toBe(1);
      expect([a, b].filter((r) => r === undefined)).toHaveLength(1); // one stood by
      expect(await apps[1]!.store.articles.count()).toBe(1);
    } finally {
      await server.close();
    }
  });
});
