import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../../src/main.js';
import { isAppError } from '../../../src/errors.js';
import { digestApp, sinkAndAppPerTest } from '../../helpers/digest-app.js';
import { databasePerTest, testDialects } from '../../helpers/dialects.js';
import { seedWorld } from '../../helpers/digest-world.js';
import { tempDir } from '../../helpers/env.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink.js';

const NOW = new Date('2026-11-27T08:00:00Z');

describe.each(testDialects())('a digest run against a real SMTP server, on %s', (dialect) => {
  const world = sinkAndAppPerTest(dialect);
  let sink: SmtpSink;
  let app: App;
  beforeEach(() => ({ sink, app } = world));

  it('sends one email per reader with their sections, and renders once per distinct edition', async () => {
    await seedWorld(app, NOW, {
      articles: [
        { title: 'Beijing sets growth target', topics: ['china'], minutesAgo: 120 },
        { title: 'Taipei holds drills', topics: ['taiwan', 'china'], minutesAgo: 60 },
        { title: 'Chipmaker doubles output', topics: ['tech'], minutesAgo: 30 },
      ],
      readers: [
        { email: 'ann@example.com', topics: ['china', 'taiwan'], name: 'Ann' },
        { email: 'bo@example.com', topics: ['china', 'taiwan'] },
        { email: 'cy@example.com', topics: ['tech'] },
      ],
    });
    const summary = await app.runDigest({ now: NOW, force: true });
    expect(summary).toMatchObject({ planned: 3, sent: 3, failed: 0, skipped: 0, uncertain: 0, renders: 2 });
    expect(sink.messages).toHaveLength(3);

    const ann = sink.to('ann@example.com')[0]!.parsed;
    expect(ann.text).toContain('Beijing sets growth target');
    expect(ann.text).toContain('Taipei holds drills');
    expect(ann.text).not.toContain('Chipmaker');
    // The article tagged taiwan+china appears once, in the China section (catalogue order).
    expect(ann.text!.split('\nTaipei holds drills\n').length - 1).toBe(1);
    expect(ann.text!.indexOf('Taipei holds drills')).toBeGreaterThan(ann.text!.indexOf('China'));
    const cy = sink.to('cy@example.com')[0]!.parsed;
    expect(cy.text).toContain('Chipmaker doubles output');
    expect(cy.text).not.toContain('Beijing');
  });

  it('puts the deliverability headers on every digest', async () => {
    await seedWorld(app, NOW, { articles: [{ title: 'Quake hits coast', topics: ['world'] }], readers: [{ email: 'ann@example.com', topics: ['world'], name: 'Ann' }] });
    await app.runDigest({ now: NOW, force: true });
    const m = sink.messages[0]!;
    const unsub = m.headerLine('List-Unsubscribe')!;
    expect(unsub).toMatch(/^List-Unsubscribe: <https:\/\/digest\.example\.com\/unsubscribe\/[A-Za-z0-9._-]+>, <mailto:brief@news\.example\.com\?subject=unsubscribe>$/);
    expect(m.headerLine('List-Unsubscribe-Post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(m.headerLine('List-Id')?.toLowerCase()).toBe('list-id: topic digest <digest.news.example.com>');
    expect(m.parsed.messageId).toMatch(/^<[0-9a-f-]{36}@news\.example\.com>$/);
    expect(m.parsed.date).toBeInstanceOf(Date);
    expect(m.headerLine('Content-Type')).toMatch(/multipart\/alternative/);
    expect(m.parsed.text!.length).toBeGreaterThan(50);
    expect(m.parsed.html).toContain('Quake hits coast');
    // The ledger records the Message-ID that went out.
    const [row] = await app.store.deliveries.list({ status: 'sent' });
    expect(row!.messageId).toBe(m.parsed.messageId);
  });

  it('never sends twice: a second run sends nothing, the next day only what is new', async () => {
    await seedWorld(app, NOW, { articles: [{ title: 'Old story', topics: ['world'] }], readers: [{ email: 'ann@example.com', topics: ['world'] }] });
    expect((await app.runDigest({ now: NOW, force: true })).sent).toBe(1);
    expect(await app.runDigest({ now: new Date(NOW.getTime() + 3_600_000), force: true })).toMatchObject({ planned: 0, sent: 0 });
    expect(sink.messages).toHaveLength(1);

    const tomorrow = new Date(NOW.getTime() + 24 * 3_600_000);
    // Imported late: first seen after yesterday's run, so it still reaches the next digest.
    await seedWorld(app, tomorrow, { articles: [{ title: 'Fresh story', topics: ['world'], minutesAgo: 600 }] });
    expect((await app.runDigest({ now: tomorrow, force: true })).sent).toBe(1);
    const second = sink.messages[1]!.parsed.text!;
    expect(second).toContain('Fresh story');
    expect(second).not.toContain('Old story');
  });

  it('records an empty day as skipped and sends nothing', async () => {
    await seedWorld(app, NOW, { articles: [{ title: 'Sport only', topics: ['sport'] }], readers: [{ email: 'ann@example.com', topics: ['climate'] }] });
    expect(await app.runDigest({ now: NOW, force: true })).toMatchObject({ planned: 0, skipped: 1, sent: 0 });
    expect((await app.store.deliveries.list())[0]).toMatchObject({ status: 'skipped', reason: 'empty' });
    expect(sink.messages).toHaveLength(0);
  });

  it('escapes markup in the HTML and keeps the text part plain', async () => {
    await seedWorld(app, NOW, { articles: [{ title: 'Tom & Jerry <script>alert(1)</script>', topics: ['world'] }], readers: [{ email: 'ann@example.com', topics: ['world'] }] });
    await app.runDigest({ now: NOW, force: true });
    const { parsed } = sink.messages[0]!;
    expect(parsed.html).not.toContain('<script>alert(1)</script>');
    expect(parsed.html).toContain('Tom &amp; Jerry &lt;script&gt;');
    expect(parsed.text).toContain('Tom & Jerry <script>alert(1)</script>');
    expect(parsed.text).not.toContain('&amp;');
  });

  it('cannot be made to inject a header through a reader\'s name', async () => {
    await seedWorld(app, NOW, {
      articles: [{ title: 'Storm', topics: ['world'] }],
      readers: [{ email: 'eve@example.com', topics: ['world'], name: 'Eve\r\nBcc: victim@example.net\r\nX-Evil: 1' }],
    });
    await app.runDigest({ now: NOW, force: true });
    const m = sink.messages[0]!;
    expect(m.to).toEqual(['eve@example.com']);
    expect(m.parsed.headers.has('bcc')).toBe(false);
    expect(m.parsed.headers.has('x-evil')).toBe(false);
    const headerBlock = m.raw.toString().split('\r\n\r\n')[0]!;
    expect(headerBlock).not.toMatch(/^(X-Evil|Bcc):/im);
    expect(m.headerLine('To')).toBe('To: "Eve Bcc: victim@example.net X-Evil: 1" <eve@example.com>');
  });

  it('only sends to active readers', async () => {
    await seedWorld(app, NOW, {
      articles: [{ title: 'Storm', topics: ['world'] }],
      readers: [
        { email: 'pending@example.com', topics: ['world'], status: 'pending' },
        { email: 'gone@example.com', topics: ['world'], status: 'unsubscribed' },
        { email: 'ok@example.com', topics: ['world'] },
      ],
    });
    await app.runDigest({ now: NOW, force: true });
    expect(sink.messages.map((m) => m.to[0])).toEqual(['ok@example.com']);
  });

  it('writes nothing and sends nothing on a dry run', async () => {
    await seedWorld(app, NOW, { articles: [{ title: 'Storm', topics: ['world'] }], readers: [{ email: 'ann@example.com', topics: ['world'] }] });
    const s = await app.runDigest({ now: NOW, force: true, dryRun: true });
    expect(s.wouldSend).toEqual([expect.objectContaining({ email: 'ann@example.com', status: 'planned', sections: [{ topic: 'world', articles: 1 }] })]);
    expect(s.wouldSend![0]!.subject).toContain('Storm');
    expect(await app.store.deliveries.list()).toEqual([]);
    expect(sink.messages).toHaveLength(0);
  });
});

describe.each(testDialects())('SMTP failures, on %s', (dialect) => {
  const database = databasePerTest(dialect);
  let app: App | undefined;
  let sink: SmtpSink | undefined;
  /** An app over a clean database of this dialect, sending to `smtpUrl`. */
  const appSendingTo = async (smtpUrl: string) => {
    const { dir } = tempDir();
    return digestApp({ SMTP_URL: smtpUrl, DATABASE_URL: await database.cleanUrl(dir) }, dir);
  };
  afterEach(async () => {
    await app?.close();
    await sink?.close();
    app = undefined;
    sink = undefined;
  });

  it('retries a 4xx with backoff within the run', async () => {
    sink = await startSmtpSink({ recipients: (addr, n) => (addr === 'slow@example.com' && n <= 2 ? { code: 451, message: 'try again later' } : 'accept') });
    app = await appSendingTo(sink.url);
    await seedWorld(app, NOW, { articles: [{ title: 'Storm', topics: ['world'] }], readers: [{ email: 'slow@example.com', topics: ['world'] }] });
    const s = await app.runDigest({ now: NOW, force: true });
    expect(s).toMatchObject({ sent: 1, failed: 0, deferred: 0 });
    expect(sink.attempts.get('slow@example.com')).toBe(3);
    expect(sink.messages).toHaveLength(1);
  });

  it('marks a 5xx recipient failed and bounced, and still sends to everyone else', async () => {
    sink = await startSmtpSink({ recipients: (addr) => (addr === 'nobody@example.com' ? { code: 550, message: 'no such user' } : 'accept') });
    app = await appSendingTo(sink.url);
    await seedWorld(app, NOW, {
      articles: [{ title: 'Storm', topics: ['world'] }],
      readers: ['a', 'nobody', 'b'].map((x) => ({ email: `${x}@example.com`, topics: ['world'] })),
    });
    const s = await app.runDigest({ now: NOW, force: true });
    expect(s).toMatchObject({ sent: 2, failed: 1, bounced: 1 });
    expect(sink.attempts.get('nobody@example.com')).toBe(1);
    expect((await app.store.subscribers.findByEmail('nobody@example.com'))!.status).toBe('bounced');
    const failed = await app.store.deliveries.list({ status: 'failed' });
    expect(failed[0]!.error).toContain('550');
  });

  it('stops at once with a clear error when SMTP is unreachable, marking nothing', async () => {
    sink = await startSmtpSink();
    const deadUrl = sink.url;
    await sink.close();
    sink = undefined;
    app = await appSendingTo(deadUrl);
    await seedWorld(app, NOW, { articles: [{ title: 'Storm', topics: ['world'] }], readers: [{ email: 'ann@example.com', topics: ['world'] }] });
    const err = await app.runDigest({ now: NOW, force: true }).catch((e: unknown) => e);
    expect(isAppError(err, 'SMTP_UNREACHABLE')).toBe(true);
    expect((err as Error).message).toMatch(/cannot reach the SMTP server/);
    expect(await app.store.deliveries.list()).toEqual([]);
  });
});
