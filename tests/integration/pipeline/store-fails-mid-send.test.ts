import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/logger.js';
import { createApp, type App } from '../../../src/main.js';
import { createCaptureMailer, type CaptureMailer } from '../../helpers/capture-mailer.js';
import { seedWorld } from '../../helpers/digest-world.js';
import { tempDir, testConfig } from '../../helpers/env.js';

/**
 * The disk fills while a message is on the wire (a real tmpfs, so root only): the server has the
 * message, recording it fails with SQLITE_FULL. The run must stop, say the store failed, leave the
 * row uncertain rather than resend it, and a second run must not send it again either.
 */

const NOW = new Date('2026-11-27T08:00:00Z');

/** Writes zeros to a file on `dir` until the disk refuses (ENOSPC). */
function fillDisk(dir: string): void {
  const fd = openSync(join(dir, 'filler'), 'w');
  const chunk = Buffer.alloc(4096);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
}

describe.runIf(process.getuid?.() === 0)('the store fails while a message is on the wire', () => {
  const tmp = tempDir('td-mid-send-');
  const mnt = join(tmp.dir, 'disk');
  let app: App;
  let mailer: CaptureMailer;

  beforeEach(async () => {
    mkdirSync(mnt);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mnt]);
    mailer = createCaptureMailer();
    const send = mailer.send;
    let filled = false;
    mailer.send = async (message) => {
      const receipt = await send(message);
      if (!filled) fillDisk(mnt);
      filled = true;
      return receipt;
    };
    app = await createApp(testConfig(tmp.dir, { DATABASE_URL: `sqlite:${join(mnt, 'store.db')}` }), { logger: silentLogger, mailer });
    await seedWorld(app, NOW, { articles: [{ title: 'Harbour reopens', topics: ['world'] }], readers: [{ email: 'ann@example.com', topics: ['world'] }] });
  });
  afterEach(async () => {
    await app.close();
    execFileSync('umount', [mnt]);
    tmp.cleanup();
  });

  it('stops with storeFailed, says "disk full", keeps the row uncertain, and never resends', async () => {
    const first = await app.runDigest({ now: NOW, force: true });
    expect(first.storeFailed).toBe(true);
    expect(first.stoppedBecause).toMatch(/disk full/);
    expect(mailer.sent).toHaveLength(1);
    const rows = await app.store.deliveries.list({});
    expect(rows.map((r) => r.status)).toEqual(['sending']);

    // While the disk stays full the next run cannot even start: a store error, not a resend.
    await expect(app.runDigest({ now: NOW, force: true })).rejects.toMatchObject({ code: 'STORE_FAILED', message: expect.stringMatching(/disk full/) });
    rmSync(join(mnt, 'filler'));
    const second = await app.runDigest({ now: NOW, force: true });
    expect(second.sent).toBe(0);
    expect(mailer.sent).toHaveLength(1);
  });
});
