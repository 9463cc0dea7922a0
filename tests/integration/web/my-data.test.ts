import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedWorld } from '../../helpers/digest-world.js';
import { processFeedbackMessage } from '../../../src/feedback/process-message.js';
import { silentLogger } from '../../../src/logger.js';
import { emailKey } from '../../../src/model/subscriber.js';
import { eraseReader, exportReader } from '../../../src/subscriptions/my-data.js';
import { findInSqliteFile } from '../../helpers/scan-sqlite.js';
import { linkIn, pathOf, startWebHarness, type WebHarness } from '../../helpers/web-harness.js';

/**
 * A reader's data from signup to erasure: consent evidence on every step, the signed one-click
 * frequency switch, "Download my data", and "Delete me" leaving no trace of the address.
 */

let h: WebHarness;
beforeEach(async () => {
  h = await startWebHarness({ DIGEST_TIMEZONE: 'UTC' });
});
afterEach(async () => h.close());

const EMAIL = 'Ana.Reader@Example.com';
const UA = 'Mozilla/5.0 (X11; Linux x86_64) TestBrowser/1.0';

/** Signs up through the form (with Options), confirms through the emailed link, returns the preferences path. */
async function signUpAndConfirm(): Promise<string> {
  const session = await h.openForm('/');
  expect(session.response.body).toMatch(/<details[^>]*>\s*<summary>Options<\/summary>/);
  const r = await h.post('/subscribe', { email: EMAIL, name: 'Ana', topics: ['world'], timezone: 'Europe/London', frequency: 'weekly', weekday: 'friday', send_time: '06:30' }, session, {
    remoteAddress: '203.0.113.77',
    headers: { 'user-agent': UA },
  });
  expect(r.statusCode).toBe(200);
  const confirmPath = pathOf(linkIn(h.mailer.to(EMAIL)[0]!, 'https://digest.example/confirm/'));
  const confirm = await h.openForm(confirmPath);
  expect((await h.post(confirmPath, {}, confirm, { remoteAddress: '2001:db8:abcd:12::1' })).statusCode).toBe(200);
  const s = (await h.app.store.subscribers.findByEmail(EMAIL.replace('Example', 'example')))!;
  expect(s).toMatchObject({ status: 'active', frequency: 'weekly', weekday: 'friday', sendTime: '06:30' });
  return pathOf(h.app.links.forSubscriber(s).preferencesUrl);
}

describe('consent evidence, switching, export and erasure', () => {
  it('records signup and confirmation evidence with truncated IPs and the wording shown', async () => {
    const prefs = await signUpAndConfirm();
    const data = JSON.parse((await h.get(`${prefs}/data`)).body);
    expect(data.consent).toEqual([
      expect.objectContaining({ action: 'signup', source: 'web:signup', ip: '203.0.113.0/24', userAgent: UA, wordingVersion: expect.any(String), wording: expect.stringContaining('unsubscribe') }),
      expect.objectContaining({ action: 'confirm', source: 'web:confirm', ip: '2001:db8:abcd::/48' }),
    ]);
    expect(data.consent[0].details).toMatchObject({ frequency: 'weekly', weekday: 'friday', sendTime: '06:30', topics: ['world'] });
    expect(findInSqliteFile(dbPath(), '203.0.113.77')).toEqual([]);
  });

  it('switches frequency from the footer link: GET only shows a button, POST changes, CSRF and signature checked', async () => {
    const prefs = await signUpAndConfirm();
    const page = await h.openForm(`${prefs}/switch?to=daily`);
    expect(page.response.body).toContain('Switch to the daily digest');
    expect((await h.app.store.subscribers.findByEmail('Ana.Reader@example.com'))!.frequency).toBe('weekly');
    expect((await h.post(`${prefs}/switch?to=daily`, {}, null)).statusCode).toBe(403);
    expect((await h.get(`${prefs.slice(0, -4)}AAAA/switch?to=daily`)).statusCode).toBe(400);
    const done = await h.post(`${prefs}/switch?to=daily`, {}, page);
    expect(done.body).toContain('daily at 06:30');
    expect((await h.app.store.subscribers.findByEmail('Ana.Reader@example.com'))).toMatchObject({ frequency: 'daily', weekday: null, sendTime: '06:30' });
    const consent = JSON.parse((await h.get(`${prefs}/data`)).body).consent;
    expect(consent.at(-1)).toMatchObject({ action: 'change', source: 'web:switch-link' });
  });

  it('exports deliveries with archive links, then erases: no table holds the address, and it may subscribe again', async () => {
    const prefs = await signUpAndConfirm();
    const friday = new Date('2026-12-04T06:40:00Z');
    await seedWorld(h.app, friday, { articles: [{ title: 'Harbour reopens', topics: ['world'], minutesAgo: 600 }] });
    expect(await h.app.runDigest({ now: friday })).toMatchObject({ sent: 1 });
    const [mail] = h.mailer.to(EMAIL).filter((m) => m.subject.startsWith('Your weekly digest'));
    expect(mail?.subject).toBe('Your weekly digest, 27 November – 3 December: Harbour reopens');

    // The archived copy is a public page: it carries no reader's personal links, the switch included.
    const archived = await h.get(pathOf(data0ArchiveUrl(mail!.html)));
    expect(archived.statusCode).toBe(200);
    expect(archived.body).not.toContain('switch?to=');

    const download = await h.get(`${prefs}/data`);
    expect(download.headers['content-disposition']).toMatch(/attachment/);
    const data = JSON.parse(download.body);
    expect(data.profile).toMatchObject({ email: 'Ana.Reader@example.com', name: 'Ana', status: 'active' });
    expect(data.choices).toEqual({ frequency: 'weekly', weekday: 'friday', sendTime: '06:30' });
    expect(data.deliveries).toEqual([expect.objectContaining({ date: '2026-12-04', status: 'sent', archiveUrl: expect.stringMatching(/^https:\/\/digest\.example\/archive\/2026-12-04-/) })]);
    expect(data).toHaveProperty('bounces.hardBounces', 0);

    const confirm = await h.openForm(`${prefs}/delete`);
    expect(confirm.response.body).toContain('Yes, delete me');
    expect(findInSqliteFile(dbPath(), 'ana.reader@example.com')).not.toEqual([]); // the scan can see it
    expect((await h.post(`${prefs}/delete`, {}, confirm)).body).toContain('Your data is deleted');

    expect(findInSqliteFile(dbPath(), 'ana.reader@example.com')).toEqual([]);
    expect(findInSqliteFile(dbPath(), '203.0.113')).toEqual([]);
    expect(findInSqliteFile(dbPath(), UA)).toEqual([]);
    const erasures = await h.app.store.db.selectFrom('erasures').selectAll().execute();
    expect(erasures).toEqual([expect.objectContaining({ email_hash: expect.stringMatching(/^[0-9a-f]{64}$/), source: 'web:preferences' })]);
    // The ledger keeps the day (so it is never sent twice, and counts stay right), against the hash.
    const ledger = await h.app.store.db.selectFrom('deliveries as d').innerJoin('subscribers as s', 's.id', 'd.subscriber_id').select(['s.email', 'd.status']).execute();
    expect(ledger).toEqual([{ email: expect.stringContaining(erasures[0]!.email_hash), status: 'sent' }]);
    // Old links are dead.
    expect((await h.get(prefs)).statusCode).toBe(400);

    expect((await h.signup({ email: EMAIL, topics: ['world'] })).statusCode).toBe(200);
    expect(await h.app.store.subscribers.findByEmail('Ana.Reader@example.com')).toMatchObject({ status: 'pending', frequency: 'daily' });
  });

  it('a complaint is in the export; after erasure the complainer stays suppressed and no table holds the address', async () => {
    await signUpAndConfirm();
    const friday = new Date('2026-12-04T06:40:00Z');
    await seedWorld(h.app, friday, { articles: [{ title: 'Harbour reopens', topics: ['world'], minutesAgo: 600 }] });
    expect(await h.app.runDigest({ now: friday })).toMatchObject({ sent: 1 });
    const mail = h.mailer.to(EMAIL).filter((m) => m.subject.startsWith('Your weekly digest'))[0]!;
    const outcome = await processFeedbackMessage(h.app.store, h.app.feedbackRules, Buffer.from(complaintAbout(mail.messageId!)), 'mail', silentLogger);
    expect(outcome).toMatchObject({ kind: 'complaint' });
    const s = (await h.app.store.subscribers.findByEmail(EMAIL))!;
    expect(s.status).toBe('unsubscribed');

    const data = await exportReader(h.app.store, h.app.links, s);
    expect(data.complaints).toEqual([expect.objectContaining({ date: '2026-12-04' })]);

    await eraseReader(h.app.store, h.app.secretKey, s, 'cli:subscribers erase');
    expect(findInSqliteFile(dbPath(), 'ana.reader@example.com')).toEqual([]);
    // The mailbox asked us to stop: the suppression outlives the erasure, as a hash.
    expect(await h.app.store.suppressions.suppressedAmong([EMAIL])).toEqual(new Set([emailKey(EMAIL)]));
    expect(await h.app.store.suppressions.get(EMAIL)).toMatchObject({ reason: 'complaint', email: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
    // Confirming a new signup from that mailbox is what lifts it.
    expect(await h.app.store.suppressions.remove(EMAIL)).toBe(true);
    expect(await h.app.store.suppressions.get(EMAIL)).toBeUndefined();
  });

  it('prunes old ledger rows to per-day counts and deletes signups never confirmed for 30 days', async () => {
    const prefs = await signUpAndConfirm();
    expect(prefs).toBeTruthy();
    const now = new Date('2026-11-30T12:00:00Z');
    const s = (await h.app.store.subscribers.findByEmail('Ana.Reader@example.com'))!;
    const old = { subscriberId: s.id, status: 'skipped' as const, editionKey: null, windowStart: '2025-01-01T00:00:00Z', windowEnd: '2025-01-02T00:00:00Z', reason: 'empty' };
    await h.app.store.plans.insertPlanned([{ ...old, localDate: '2025-01-02' }, { ...old, localDate: '2025-01-03' }, { ...old, localDate: '2026-11-29' }], now.toISOString());
    await h.app.store.subscribers.upsert({ email: 'stale@example.com', name: null, timezone: null, topics: ['world'], status: 'pending' }, '2026-10-01T00:00:00Z');
    await h.app.store.subscribers.upsert({ email: 'fresh@example.com', name: null, timezone: null, topics: ['world'], status: 'pending' }, '2026-11-20T00:00:00Z');

    expect(await h.app.housekeeping(now)).toEqual({ prunedDeliveries: 2, deletedPending: 1, prunedWebhookDeliveries: 0 });
    expect((await h.app.store.deliveries.list()).map((d) => d.localDate)).toEqual(['2026-11-29']);
    expect(await h.app.store.privacy.dayCounts()).toEqual([
      { localDate: '2025-01-02', status: 'skipped', count: 1 },
      { localDate: '2025-01-03', status: 'skipped', count: 1 },
    ]);
    expect(await h.app.store.subscribers.findByEmail('stale@example.com')).toBeUndefined();
    expect(await h.app.store.subscribers.findByEmail('fresh@example.com')).toBeDefined();
    expect(await h.app.housekeeping(now)).toEqual({ prunedDeliveries: 0, deletedPending: 0, prunedWebhookDeliveries: 0 });
  });
});

/** The "View in your browser" link of a digest's HTML. */
function data0ArchiveUrl(html: string): string {
  const m = /href="(https:\/\/digest\.example\/archive\/[^"]+)"/.exec(html);
  if (!m) throw new Error('no archive link in the digest');
  return m[1]!;
}

/** An RFC 5965 abuse report about the message with this Message-ID, as a mailbox provider sends it. */
function complaintAbout(messageId: string): string {
  const b = 'arf-boundary-1';
  return [
    'From: Feedback Loop <fbl@mail.example>',
    'To: fbl@digest.example',
    'Subject: Complaint',
    'Date: Fri, 04 Dec 2026 09:00:00 +0000',
    'Message-ID: <fbl-1@mail.example>',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=feedback-report; boundary="${b}"`,
    '',
    `--${b}`,
    'Content-Type: text/plain',
    '',
    'This is an abuse report.',
    `--${b}`,
    'Content-Type: message/feedback-report',
    '',
    'Feedback-Type: abuse',
    'Version: 1',
    'Original-Rcpt-To: ana.reader@example.com',
    'Arrival-Date: Fri, 04 Dec 2026 06:41:00 +0000',
    '',
    `--${b}`,
    'Content-Type: text/rfc822-headers',
    '',
    'From: Topic Digest <digest@digest.example>',
    'To: Ana.Reader@Example.com',
    `Message-ID: ${messageId}`,
    'Subject: Your weekly digest',
    '',
    `--${b}--`,
    '',
  ].join('\r\n');
}

function dbPath(): string {
  const db = h.app.config.database;
  if (db.kind !== 'sqlite') throw new Error('this test reads the SQLite file');
  return db.path;
}
