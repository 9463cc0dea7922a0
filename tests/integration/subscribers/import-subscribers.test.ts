import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.js';
import type { App } from '../../../src/main.js';
import { importSubscribers, type ImportSubscribersOptions } from '../../../src/subscriptions/import-subscribers.js';
import { readSubscriberFile } from '../../../src/subscribers/subscriber-file.js';
import { appPerTest } from '../../helpers/app-per-test.js';
import { testDialects } from '../../helpers/dialects.js';
import { fixtureSubscriber as sub, writeSubscribersCsv, writeSubscribersJson } from '../../helpers/subscriber-fixtures.js';

let dir: string;
let app: App;

async function importFile(path: string, options: Partial<ImportSubscribersOptions> = {}) {
  const { rows } = await readSubscriberFile(path);
  return importSubscribers(app.store, rows, { status: 'active', skipInvalid: false, now: '2026-01-02T03:04:05.000Z', source: path, ...options });
}

async function importError(path: string): Promise<AppError> {
  const err = await importFile(path).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

const emails = async () => (await app.store.subscribers.list()).map((s) => s.email);

describe.each(testDialects())('importSubscribers on %s', (dialect) => {
  appPerTest(dialect, (a, d) => {
    app = a;
    dir = d;
  });

  it('imports a JSON file as active readers with their topics and timezones', async () => {
    const path = writeSubscribersJson(dir, [
      sub({ email: 'Ann@Example.com', name: ' Ann ', topics: ['world', 'tech'], timezone: 'Asia/Singapore' }),
      sub({ email: 'bo@example.org', name: undefined, topics: ['sport'], timezone: undefined }),
    ]);
    const r = await importFile(path);
    expect(r).toMatchObject({ total: 2, added: 2, updated: 0, skipped: [], invalid: [] });
    const ann = await app.store.subscribers.findByEmail('Ann@example.com');
    expect(ann).toMatchObject({ name: 'Ann', status: 'active', topics: ['world', 'tech'], timezone: 'Asia/Singapore', confirmedAt: '2026-01-02T03:04:05.000Z' });
    expect(await app.store.subscribers.findByEmail('bo@example.org')).toMatchObject({ name: null, timezone: null, topics: ['sport'] });
  });

  it('imports a CSV file with quoted names, CRLF and a BOM', async () => {
    const path = writeSubscribersCsv(dir, [sub({ email: 'c@example.com', name: 'Lee, "CJ"', topics: ['world', 'climate'] })], { eol: '\r\n', bom: true });
    expect(await importFile(path)).toMatchObject({ added: 1 });
    expect(await app.store.subscribers.findByEmail('c@example.com')).toMatchObject({ name: 'Lee, "CJ"', topics: ['world', 'climate'], timezone: 'Europe/London' });
  });

  it('imports pending readers with --pending', async () => {
    await importFile(writeSubscribersJson(dir, [sub({ email: 'p@example.com' })]), { status: 'pending' });
    expect(await app.store.subscribers.findByEmail('p@example.com')).toMatchObject({ status: 'pending', confirmedAt: null });
  });

  it('updates existing readers in place on re-import, keeping fields the file does not mention', async () => {
    await importFile(writeSubscribersJson(dir, [sub({ email: 'u@example.com', name: 'Old', topics: ['world'], timezone: 'Europe/London' })]));
    const before = (await app.store.subscribers.findByEmail('u@example.com'))!;
    const csv = writeSubscribersCsv(dir, [sub({ email: 'u@example.com', topics: ['tech', 'sport'] })], { columns: ['email', 'topics'] });
    const r = await importFile(csv, { now: '2027-01-01T00:00:00.000Z' });
    expect(r).toMatchObject({ added: 0, updated: 1 });
    const after = (await app.store.subscribers.findByEmail('u@example.com'))!;
    expect(after).toMatchObject({ id: before.id, signingKey: before.signingKey, name: 'Old', timezone: 'Europe/London', topics: ['tech', 'sport'] });
    // An active reader stays confirmed at the original time.
    expect(after.confirmedAt).toBe(before.confirmedAt);

    // An explicit empty cell clears the field.
    await importFile(writeSubscribersCsv(dir, [sub({ email: 'u@example.com', name: '', timezone: '', topics: ['tech'] })]));
    expect(await app.store.subscribers.findByEmail('u@example.com')).toMatchObject({ name: null, timezone: null, topics: ['tech'] });
    expect(await app.store.subscribers.count()).toBe(1);
  });

  it('applies the status rules: pending is confirmed, active never demoted, unsubscribed and bounced skipped', async () => {
    const rows = ['pending', 'active', 'unsubscribed', 'bounced'].map((s) => sub({ email: `${s}@example.com`, topics: ['world'] }));
    await importFile(writeSubscribersJson(dir, rows));
    for (const status of ['pending', 'unsubscribed', 'bounced'] as const) {
      const s = (await app.store.subscribers.findByEmail(`${status}@example.com`))!;
      await app.store.subscribers.setStatus(s.id, status, '2026-01-01T00:00:00.000Z');
    }
    const again = rows.map((r) => ({ ...r, topics: ['tech'] }));

    const asPending = await importFile(writeSubscribersJson(dir, again), { status: 'pending' });
    expect(asPending).toMatchObject({ updated: 2, added: 0 });
    expect((await app.store.subscribers.findByEmail('active@example.com'))!.status).toBe('active');
    expect((await app.store.subscribers.findByEmail('pending@example.com'))!.status).toBe('pending');

    const r = await importFile(writeSubscribersJson(dir, again));
    expect((await app.store.subscribers.findByEmail('pending@example.com'))!.status).toBe('active');
    expect(r.skipped.map((s) => [s.label, s.email])).toEqual([
      ['item 3', 'unsubscribed@example.com'],
      ['item 4', 'bounced@example.com'],
    ]);
    for (const status of ['unsubscribed', 'bounced']) {
      expect(await app.store.subscribers.findByEmail(`${status}@example.com`)).toMatchObject({ status, topics: ['world'] });
    }
  });

  it('imports nothing from a CSV with bad rows and lists every bad row by line number', async () => {
    const path = writeSubscribersCsv(dir, [
      sub({ email: 'good@example.com' }), // line 2
      sub({ email: 'no-at-sign' }), // line 3
      sub({ topics: ['world', 'gardening'] }), // line 4
      sub({ email: 'good@example.com' }), // line 5: duplicate
      sub({ timezone: 'Moon/Base', name: 'x'.repeat(101) }), // line 6
      sub(), // line 7
    ]);
    const err = await importError(path);
    expect(err.code).toBe('SUBSCRIBER_INVALID');
    expect(err.exitCode).toBe(1);
    expect(err.message).toContain('4 of 6');
    expect(err.details).toEqual([
      expect.stringMatching(/^line 3: email "no-at-sign" has no @$/),
      expect.stringMatching(/^line 4: unknown topic "gardening"$/),
      expect.stringMatching(/^line 5: good@example.com is a duplicate of line 2$/),
      expect.stringMatching(/^line 6: name is longer than 100 characters; timezone "Moon\/Base" is not an IANA timezone/),
    ]);
    expect(await app.store.subscribers.count()).toBe(0);
  });

  it('numbers JSON items from 1 in its report', async () => {
    const err = await importError(writeSubscribersJson(dir, [sub(), sub({ topics: [] }), sub({ email: 'x@localhost' })], { wrapped: true }));
    expect(err.details).toEqual([
      'item 2: at least one topic is required',
      expect.stringMatching(/^item 3: email "x@localhost" has a domain without a dot/),
    ]);
    expect(err.hint).toMatch(/JSON item numbers \(counting from 1\)/);
  });

  it('with skipInvalid, imports the good rows and reports the bad ones', async () => {
    const path = writeSubscribersCsv(dir, [sub({ email: 'one@example.com' }), sub({ email: 'bad@' }), sub({ email: 'two@example.com' }), sub({ email: 'one@example.com' })]);
    const r = await importFile(path, { skipInvalid: true });
    expect(r).toMatchObject({ total: 4, added: 2 });
    expect(r.invalid.map((i) => i.label)).toEqual(['line 3', 'line 5']);
    expect(await emails()).toEqual(['one@example.com', 'two@example.com']);
  });

  it('rolls the whole import back when a write fails part-way', async () => {
    const path = writeSubscribersJson(dir, [sub({ email: 'first@example.com' }), sub({ email: 'second@example.com' })]);
    const { rows } = await readSubscriberFile(path);
    // The second insert fails after the first has been written inside the transaction.
    let writes = 0;
    const store = app.store;
    const failing = {
      ...store,
      transaction: <T>(fn: (tx: typeof store) => Promise<T>) =>
        store.transaction((tx) =>
          fn({
            ...tx,
            subscribers: Object.assign(Object.create(Object.getPrototypeOf(tx.subscribers)), tx.subscribers, {
              upsert: async (...args: Parameters<typeof tx.subscribers.upsert>) => {
                if (++writes === 2) throw new Error('disk full');
                return tx.subscribers.upsert(...args);
              },
            }),
          }),
        ),
    };
    await expect(importSubscribers(failing, rows, { status: 'active', skipInvalid: false, now: '2026-01-01T00:00:00.000Z', source: path })).rejects.toThrow('disk full');
    expect(await app.store.subscribers.count()).toBe(0);
  });
});
