import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../src/errors.js';
import type { App } from '../../../src/main.js';
import { TEST_HEADER } from '../../../src/pipeline/test-send.js';
import { buildServer } from '../../../src/web/server.js';
import { sinkAndAppPerTest } from '../../helpers/digest-app.js';
import { testDialects } from '../../helpers/dialects.js';
import { seedWorld } from '../../helpers/digest-world.js';

/**
 * "Send a test" over real SMTP and a real SQLite file or PostgreSQL database: the test arrives marked, built like a real
 * digest, and leaves every table a real send writes exactly as it was.
 */

const T0 = new Date('2026-11-20T08:00:00Z');
const T1 = new Date('2026-11-21T08:00:00Z');

/** Every row of the tables a send or a planning pass writes, to compare before and after. */
async function ledgerSnapshot(app: App): Promise<unknown[]> {
  const tables = ['deliveries', 'editions', 'subscribers', 'subscriber_topics', 'delivery_day_counts', 'feedback_events', 'suppressions', 'mail_queue', 'consent_records'] as const;
  return Promise.all(tables.map((t) => app.store.db.selectFrom(t).selectAll().execute()));
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => undefined,
    (err: unknown) => err,
  );
}

describe.each(testDialects())('send a test on %s', (dialect) => {
  const ctx = sinkAndAppPerTest(dialect);

  it('arrives marked as a test, and the ledger, editions and the reader are untouched, even when the address is a reader', async () => {
    const { app, sink } = ctx;
    await seedWorld(app, T0, {
      articles: [{ title: 'Harbour reopens', topics: ['world'], minutesAgo: 30 }],
      readers: [{ email: 'ann@example.com', name: 'Ann', topics: ['world'] }],
    });
    await app.runDigest({ now: T0, force: true });
    expect(sink.to('ann@example.com')).toHaveLength(1);
    await seedWorld(app, T1, { articles: [{ title: 'Chips rally', topics: ['tech'], minutesAgo: 20 }, { title: 'Ferry strike ends', topics: ['world'], minutesAgo: 10 }] });
    const before = await ledgerSnapshot(app);

    const outcome = await app.sendTestDigest({ to: 'ann@example.com', topics: ['tech', 'world'], now: T1 });
    expect(outcome).toMatchObject({ sent: true, to: 'ann@example.com', articles: 2, isSubscriber: true, subscriberName: 'Ann' });
    await sink.waitFor((m) => m.length === 2);
    const mail = sink.to('ann@example.com')[1]!;
    expect(mail.parsed.subject).toMatch(/^\[Test\] /);
    expect(mail.parsed.headers.get(TEST_HEADER.toLowerCase())).toBe('1');
    expect(mail.parsed.messageId).toBe(outcome.sent ? outcome.messageId : '');
    // Sections in catalogue order, the same renderer as a real send: both stories, as text and HTML.
    expect(mail.parsed.text).toContain('Chips rally');
    expect(mail.parsed.text).toContain('Ferry strike ends');
    expect(mail.parsed.html).toContain('Ferry strike ends');
    // Personal links point nowhere: no signed token, no mailto that would read as the reader's request.
    const listUnsubscribe = mail.headerLine('List-Unsubscribe')!;
    expect(listUnsubscribe).toContain('/unsubscribe/test-digest-link');
    expect(listUnsubscribe).not.toContain('mailto:');
    expect(mail.parsed.text).not.toMatch(/\/(unsubscribe|preferences)\/(?!test-digest-link)/);

    expect(await ledgerSnapshot(app)).toEqual(before);
    // The reader's next digest is as if no test had happened: the new world story is still theirs.
    await app.runDigest({ now: T1, force: true });
    await sink.waitFor((m) => m.length === 3);
    const next = sink.to('ann@example.com')[2]!;
    expect(next.parsed.subject).not.toMatch(/^\[Test\]/);
    expect(next.parsed.headers.has(TEST_HEADER.toLowerCase())).toBe(false);
    expect(next.parsed.text).toContain('Ferry strike ends');
  });

  it("a test's one-click unsubscribe link unsubscribes nobody", async () => {
    const { app, sink } = ctx;
    await seedWorld(app, T1, { articles: [{ title: 'Harbour reopens', topics: ['world'] }], readers: [{ email: 'ann@example.com', topics: ['world'] }] });
    await app.sendTestDigest({ to: 'ann@example.com', topics: ['world'], now: T1 });
    await sink.waitFor((m) => m.length === 1);
    const url = new URL(/<(https:[^>]+)>/.exec(sink.messages[0]!.headerLine('List-Unsubscribe')!)![1]!);
    const server = await buildServer(app);
    try {
      const r = await server.inject({ method: 'POST', url: url.pathname, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
      expect(r.statusCode).toBeGreaterThanOrEqual(400);
      expect(r.body).toContain('from a test digest');
      const preferences = /https:\/\/digest\.example\.com(\/preferences\/[^\s)>\]]+)/.exec(sink.messages[0]!.parsed.text!)![1]!;
      expect((await server.inject({ method: 'GET', url: preferences })).body).toContain('from a test digest');
    } finally {
      await server.close();
    }
    expect((await app.store.subscribers.findByEmail('ann@example.com'))!.status).toBe('active');
  });

  it('says so and sends nothing when the set has no stories, or the address is suppressed', async () => {
    const { app, sink } = ctx;
    await seedWorld(app, T1, { articles: [{ title: 'Harbour reopens', topics: ['world'] }] });
    const empty = await app.sendTestDigest({ to: 'ed@example.com', topics: ['climate'], now: T1 });
    expect(empty).toMatchObject({ sent: false });
    expect(empty.sent ? '' : empty.reason).toContain('no stories');
    await app.store.suppressions.add('gone@example.com', 'complaint', 'test', T1.toISOString());
    const suppressed = await app.sendTestDigest({ to: 'Gone@Example.com', topics: ['world'], now: T1 });
    expect(suppressed.sent ? '' : suppressed.reason).toContain('suppression list');
    expect(sink.messages).toHaveLength(0);
  });

  it('a weekly test reaches back a week where a daily one does not', async () => {
    const { app, sink } = ctx;
    await seedWorld(app, T1, { articles: [{ title: 'Three days old', topics: ['world'], minutesAgo: 3 * 24 * 60 }] });
    expect((await app.sendTestDigest({ to: 'ed@example.com', topics: ['world'], frequency: 'daily', now: T1 })).sent).toBe(false);
    expect((await app.sendTestDigest({ to: 'ed@example.com', topics: ['world'], frequency: 'weekly', now: T1 })).sent).toBe(true);
    await sink.waitFor((m) => m.length === 1);
    expect(sink.messages[0]!.parsed.subject).toMatch(/^\[Test\] .*weekly/i);
  });

  it('refuses a bad address or unknown topic with a clear error, before anything is sent', async () => {
    const { app, sink } = ctx;
    for (const to of ['nobody', 'a@b', 'ed@example.com\r\nBcc: x@example.com']) {
      const err = await rejection(app.sendTestDigest({ to, topics: ['world'] }));
      expect(isAppError(err, 'INPUT_INVALID'), String(err)).toBe(true);
    }
    expect(isAppError(await rejection(app.sendTestDigest({ to: 'ed@example.com', topics: ['nope'] })), 'TOPIC_UNKNOWN')).toBe(true);
    expect(isAppError(await rejection(app.sendTestDigest({ to: 'ed@example.com', topics: [] })), 'INPUT_INVALID')).toBe(true);
    expect(sink.messages).toHaveLength(0);
  });
});
