import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config.js';
import { silentLogger } from '../../../src/logger.js';
import { createApp } from '../../../src/main.js';
import { databasePerTest, testDialects } from '../../helpers/dialects.js';
import { tempDir } from '../../helpers/env.js';
import { runCliCaptured } from '../../helpers/run-cli.js';
import { fixtureSubscriber as sub, writeSubscribersCsv, writeSubscribersJson } from '../../helpers/subscriber-fixtures.js';

const EXAMPLE = join(dirname(fileURLToPath(import.meta.url)), '../../../subscribers.example.json');

let dir: string;
let cleanup: () => void;
let env: Record<string, string>;

beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  env = { DATABASE_URL: `sqlite:${join(dir, 'cli.db')}`, LOG_LEVEL: 'silent', SECRET_KEY: 'x'.repeat(40) };
});
afterEach(() => cleanup());

const cli = (...args: string[]) => runCliCaptured(['subscribers', ...args], env);

async function listJson(...args: string[]): Promise<Array<{ email: string; name: string | null; status: string; topics: string[]; timezone: string | null }>> {
  const r = await cli('list', '--json', ...args);
  expect(r.code).toBe(0);
  return JSON.parse(r.out.join('\n'));
}

describe.each(testDialects())('topic-digest subscribers on %s', (dialect) => {
  const database = databasePerTest(dialect);
  beforeEach(async () => {
    env.DATABASE_URL = await database.cleanUrl(dir);
  });

  it('imports subscribers.example.json, every reader active', async () => {
    const r = await cli('import', EXAMPLE);
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/6 row\(s\): 6 added, 0 updated, 0 skipped, 0 invalid/);
    const list = await listJson();
    expect(list).toHaveLength(6);
    expect(list.every((s) => s.status === 'active')).toBe(true);
    expect(list.find((s) => s.email === 'mei.lin@example.com')).toEqual({
      email: 'mei.lin@example.com',
      name: 'Mei Lin',
      status: 'active',
      topics: ['asia', 'singapore', 'business'],
      timezone: 'Asia/Singapore',
      frequency: 'daily',
      weekday: null,
      sendTime: null,
    });
    expect(list.filter((s) => s.timezone === null)).toHaveLength(1);
    expect(list.filter((s) => s.name === null)).toHaveLength(1);
  });

  it('imports a CSV with --pending and filters the list by status', async () => {
    await cli('add', 'act@example.com', '--topics', 'world');
    const path = writeSubscribersCsv(dir, [sub({ email: 'p1@example.com' }), sub({ email: 'p2@example.com' })]);
    expect((await cli('import', path, '--pending')).code).toBe(0);
    expect((await listJson('--status', 'pending')).map((s) => s.email)).toEqual(['p1@example.com', 'p2@example.com']);
    expect((await listJson('--status', 'active')).map((s) => s.email)).toEqual(['act@example.com']);
  });

  it('fails a file with bad rows, printing every one, and imports nothing', async () => {
    const path = writeSubscribersJson(dir, [sub(), sub({ email: 'nope' }), sub({ topics: ['astrology'] })]);
    const r = await cli('import', path);
    expect(r.code).toBe(1);
    expect(r.err).toContain('error [SUBSCRIBER_INVALID]');
    expect(r.err).toContain('  - item 2: email "nope" has no @');
    expect(r.err).toContain('  - item 3: unknown topic "astrology"');
    expect(await listJson()).toEqual([]);
  });

  it('with --skip-invalid exits 0, imports the good rows and prints the bad ones', async () => {
    const path = writeSubscribersCsv(dir, [sub({ email: 'ok@example.com' }), sub({ email: 'nope' })]);
    const r = await cli('import', path, '--skip-invalid');
    expect(r.code).toBe(0);
    expect(r.out).toContain('invalid line 3: email "nope" has no @');
    expect((await listJson()).map((s) => s.email)).toEqual(['ok@example.com']);
  });

  it('reports unreadable and malformed files without opening a stack trace', async () => {
    const missing = await cli('import', join(dir, 'missing.csv'));
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/error \[INPUT_UNREADABLE\]: cannot read .*missing\.csv/);
    const broken = writeSubscribersCsv(dir, [], { columns: ['email', 'topicz'] });
    const r = await cli('import', broken);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/error \[INPUT_INVALID\]: .*line 1: the CSV header is wrong/);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('adds, updates, lists and removes a reader', async () => {
    const added = await cli('add', ' Zoe@Example.COM ', '--topics', 'world,tech', '--name', 'Zoe', '--timezone', 'America/New_York');
    expect(added).toMatchObject({ code: 0, out: ['added Zoe@example.com'] });
    const updated = await cli('add', 'Zoe@example.com', '--topics', 'sport');
    expect(updated.out).toEqual(['updated Zoe@example.com']);
    expect(await listJson()).toEqual([{ email: 'Zoe@example.com', name: 'Zoe', status: 'active', topics: ['sport'], timezone: 'America/New_York', frequency: 'daily', weekday: null, sendTime: null }]);

    const human = await cli('list');
    expect(human.out).toEqual([expect.stringMatching(/^Zoe@example\.com\s+active\s+sport\s+America\/New_York\s+Zoe$/), '1 subscriber(s)']);

    const removed = await cli('remove', 'Zoe@EXAMPLE.com');
    expect(removed).toMatchObject({ code: 0, out: ['removed Zoe@example.com'] });
    expect(await listJson()).toEqual([]);
  });

  it('refuses an invalid add and an unknown remove with non-zero exits', async () => {
    const bad = await cli('add', 'a@example.com', '--topics', 'world,knitting', '--timezone', 'Nowhere/Land');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/SUBSCRIBER_INVALID.*unknown topic "knitting".*timezone "Nowhere\/Land"/);

    const gone = await cli('remove', 'ghost@example.com');
    expect(gone.code).toBe(1);
    expect(gone.err).toContain('error [SUBSCRIBER_NOT_FOUND]: no subscriber with the address "ghost@example.com"');

    const usage = await cli('list', '--status', 'asleep');
    expect(usage.code).toBe(2);
  });

  it('never re-subscribes an unsubscribed reader through add or import', async () => {
    await cli('add', 'left@example.com', '--topics', 'world');
    // Unsubscribe through the store, as the web flow will.
    const app = await createApp(parseConfig(env), { logger: silentLogger });
    const s = (await app.store.subscribers.findByEmail('left@example.com'))!;
    await app.store.subscribers.setStatus(s.id, 'unsubscribed', new Date().toISOString());
    await app.close();

    const add = await cli('add', 'left@example.com', '--topics', 'tech');
    expect(add.code).toBe(1);
    expect(add.err).toMatch(/left@example\.com is unsubscribed/);
    const imp = await cli('import', writeSubscribersJson(dir, [sub({ email: 'left@example.com', topics: ['tech'] })]));
    expect(imp.code).toBe(0);
    expect(imp.out).toContain('skipped item 1: left@example.com is unsubscribed; an import never re-subscribes them');
    expect(await listJson()).toEqual([expect.objectContaining({ email: 'left@example.com', status: 'unsubscribed', topics: ['world'] })]);
  });
});
