import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonArticle, ndjson } from '../../helpers/article-fixture.js';
import { spawnCli, type SpawnedRun } from '../../helpers/run-cli.js';

/**
 * Every broken store, met through the real CLI in a child process: one message with the code,
 * where the store is (password hidden) and a hint; no stack trace, no unhandled rejection after
 * it; a non-zero exit.
 */

const isRoot = process.getuid?.() === 0;
/** Root writes through file permissions, so the permission cases run as `nobody` under root. */
const asReader = isRoot ? { uid: 65534, gid: 65534 } : {};
/**
 * `nobody` must reach the checkout to start the CLI; a clone inside a private folder (mktemp -d
 * is 0700) cannot be reached, and then these two cases cannot run as another user at all.
 */
const otherUserCanRun = !isRoot || ancestors(process.cwd()).every((d) => (statSync(d).mode & 0o001) !== 0);

function ancestors(path: string): string[] {
  const out: string[] = [];
  for (let d = path; ; d = dirname(d)) {
    out.push(d);
    if (dirname(d) === d) return out;
  }
}
const dir = mkdtempSync(join(tmpdir(), 'td-store-errors-'));
// Another user must be able to reach the files inside (mkdtemp makes the folder 0700).
chmodSync(dir, 0o755);
const base = { OUTBOX_DIR: join(dir, 'outbox'), SEED_SAMPLE_DATA: 'false' };

function expectOneStoreError(run: SpawnedRun, where: string, what: RegExp): void {
  expect(run.code, run.stderr).not.toBe(0);
  expect(run.stderr).toContain('error [STORE_FAILED]');
  expect(run.stderr).toContain(where);
  expect(run.stderr).toMatch(what);
  expect(run.stderr).toMatch(/^hint: /m);
  expect(run.stderr).not.toMatch(/^ {4}at /m);
  expect(run.stderr).not.toMatch(/Unhandled|Node\.js v\d/);
  expect(run.stderr.match(/error \[/g)).toHaveLength(1);
}

/** A healthy store file with a reader and today's stories, built by the CLI itself. */
async function healthyStore(path: string): Promise<void> {
  const env = { ...base, DATABASE_URL: `sqlite:${path}` };
  const stories = join(dir, 'stories.ndjson');
  const now = new Date().toISOString();
  writeFileSync(stories, ndjson(Array.from({ length: 5 }, () => jsonArticle({ published_at: now, topics: ['world'] }))));
  for (const args of [['articles', 'import', stories], ['subscribers', 'add', 'ann@example.com', '--topics', 'world']]) {
    const r = await spawnCli(args, env);
    expect(r.code, r.stderr).toBe(0);
  }
}

describe('store errors through the CLI', { timeout: 120_000 }, () => {
  const good = join(dir, 'good.db');
  beforeAll(async () => {
    await healthyStore(good);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a garbage file is named as not a database', async () => {
    const path = join(dir, 'garbage.db');
    writeFileSync(path, Buffer.from('this is not a database, just some text\n'.repeat(200)));
    expectOneStoreError(await spawnCli(['send'], { ...base, DATABASE_URL: `sqlite:${path}` }), path, /not a SQLite database or is damaged/);
  });

  it('a truncated file is named as damaged', async () => {
    const path = join(dir, 'truncated.db');
    copyFileSync(good, path);
    truncateSync(path, Math.floor(statSync(path).size / 2));
    expectOneStoreError(await spawnCli(['send'], { ...base, DATABASE_URL: `sqlite:${path}` }), path, /damaged/);
  });

  it.runIf(otherUserCanRun)('a read-only file says read-only, not INTERNAL', async () => {
    const ro = join(dir, 'ro');
    mkdirSync(ro);
    const path = join(ro, 'store.db');
    copyFileSync(good, path);
    chmodSync(path, 0o444);
    chmodSync(ro, 0o555);
    const run = await spawnCli(['send'], { ...base, DATABASE_URL: `sqlite:${path}`, OUTBOX_DIR: join(tmpdir(), `td-outbox-${process.pid}`) }, asReader);
    expectOneStoreError(run, path, /read-only/);
    expect(run.stderr).not.toContain('INTERNAL');
  });

  it.runIf(otherUserCanRun)('a folder this user may not write says so', async () => {
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o555);
    const path = join(locked, 'new.db');
    expectOneStoreError(await spawnCli(['topics', 'list'], { ...base, DATABASE_URL: `sqlite:${path}` }, asReader), path, /cannot open/);
  });

  describe.runIf(isRoot)('on a full disk (a small tmpfs)', () => {
    const mnt = join(dir, 'full');
    beforeAll(() => {
      mkdirSync(mnt);
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=96k', 'tmpfs', mnt]);
    });
    afterAll(() => execFileSync('umount', [mnt]));

    it('a store that cannot even be created says "disk full", not "cannot rollback"', async () => {
      const path = join(mnt, 'store.db');
      const run = await spawnCli(['topics', 'list'], { ...base, DATABASE_URL: `sqlite:${path}` });
      expectOneStoreError(run, path, /disk full/);
      expect(run.stderr).not.toMatch(/rollback/i);
    });
  });

  describe.runIf(isRoot)('a disk that fills during a run', () => {
    const mnt = join(dir, 'fills');
    beforeAll(() => {
      mkdirSync(mnt);
      const size = statSync(good).size;
      // Room for the store and its WAL to open, not for the rendered editions the run writes.
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size + 40 * 1024}`, 'tmpfs', mnt]);
      copyFileSync(good, join(mnt, 'store.db'));
    });
    afterAll(() => execFileSync('umount', [mnt]));

    it('stops with exit ≠ 0 and says what it left uncertain', async () => {
      const path = join(mnt, 'store.db');
      const run = await spawnCli(['send'], { ...base, DATABASE_URL: `sqlite:${path}` });
      expectOneStoreError(run, path, /disk full/);
      expect(run.stderr).toMatch(/uncertain/);
    });
  });

  describe.runIf(Boolean(process.env.TEST_DATABASE_URL))('PostgreSQL', () => {
    it('an unreachable server: connection refused, password hidden', async () => {
      const port = await closedPort();
      const url = `postgres://digest:s3cret-pw@127.0.0.1:${port}/digest`;
      const run = await spawnCli(['send'], { ...base, DATABASE_URL: url });
      expectOneStoreError(run, `postgres://digest:***@127.0.0.1:${port}/digest`, /connection refused/);
      expect(run.stderr + run.stdout).not.toContain('s3cret-pw');
    });

    it('a database that does not exist says so, with no stack after it', async () => {
      const url = new URL(process.env.TEST_DATABASE_URL!);
      url.pathname = `/td_missing_${process.pid}`;
      const run = await spawnCli(['send'], { ...base, DATABASE_URL: url.toString() });
      expectOneStoreError(run, `td_missing_${process.pid}`, /database does not exist/);
      if (url.password) expect(run.stderr).not.toContain(`:${url.password}@`);
    });
  });
});

/** A local port nothing listens on (bound, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
