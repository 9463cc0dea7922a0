import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../../src/main.js';
import { digestApp } from '../../helpers/digest-app.js';
import { databasePerTest, testDialects } from '../../helpers/dialects.js';
import { tempDir } from '../../helpers/env.js';

describe.each(testDialects())('LockRepository on %s', (dialect) => {
  const database = databasePerTest(dialect);
  let app: App;
  beforeEach(async () => {
    const { dir } = tempDir();
    app = await digestApp({ DATABASE_URL: await database.cleanUrl(dir) }, dir);
  });
  afterEach(async () => app.close());
  const t0 = new Date('2026-11-27T08:00:00Z');
  const later = (s: number) => new Date(t0.getTime() + s * 1000);

  it('is held by one owner until it expires or is released', async () => {
    const locks = app.store.locks;
    expect(await locks.tryAcquire('job', 'a', 60, t0)).toBe(true);
    expect(await locks.tryAcquire('job', 'b', 60, later(30))).toBe(false);
    expect(await locks.tryAcquire('job', 'a', 60, later(30))).toBe(true); // renewal
    expect(await locks.tryAcquire('job', 'b', 60, later(80))).toBe(false); // renewed until t0+90
    expect(await locks.tryAcquire('job', 'b', 60, later(91))).toBe(true); // expired: taken over
    await locks.release('job', 'a'); // not a's any more: no effect
    expect(await locks.tryAcquire('job', 'a', 60, later(92))).toBe(false);
    await locks.release('job', 'b');
    expect(await locks.tryAcquire('job', 'a', 60, later(93))).toBe(true);
  });

  it('lets exactly one of many simultaneous contenders win', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => app.store.locks.tryAcquire('race', `p${i}`, 60, t0)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});
