import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { Mailer } from '../../../src/deliver/mailer.js';
import { encodeEdition, type MimeMessage } from '../../../src/deliver/mime/encoded-edition.js';
import type { SplicedSendOptions } from '../../../src/deliver/mime/encoded-sending.js';
import { SmtpFailure } from '../../../src/deliver/smtp-failure.js';
import { createThreadedSmtpMailer } from '../../../src/deliver/threaded-mailer.js';
import { tokens } from '../../../src/render/personal-tokens.js';
import { dkimKey } from '../../helpers/dkim-key.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink.js';

const FROM = 'Digest <digest@example.com>';
const fixture = (name: string) => new URL(`../../fixtures/smtp-thread/${name}`, import.meta.url);

/** One reader's spliced digest, as the send loop hands it over. */
function spliced(address: string, story = '') {
  const parts = { subject: 'Morning', html: `<p>${tokens.greeting}</p>${story}`, text: `${tokens.greeting}\n` };
  const values = { name: 'Ann', email: address, unsubscribeUrl: 'https://news.example/u', preferencesUrl: 'https://news.example/p', viewOnlineUrl: 'https://news.example/a' };
  return encodeEdition(parts, { from: FROM }).message({ to: { address, name: 'Ann' }, values, messageId: '<1@example.com>', date: new Date() });
}

/** Seals a spliced message and sends it, as the send loop does in two steps. */
const sendSpliced = async (mailer: Mailer, message: MimeMessage, options: SplicedSendOptions) => mailer.encoded!.sendSealed(await mailer.encoded!.seal(message, options));

const failureOf = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as SmtpFailure,
  );

describe('the SMTP thread', () => {
  let sink: SmtpSink | undefined;
  let mailer: Mailer | undefined;
  afterEach(async () => {
    await mailer?.close();
    await sink?.close();
    mailer = sink = undefined;
  });

  it('sends spliced, raw and built messages, and leaves a caller’s raw bytes intact for the next send', async () => {
    sink = await startSmtpSink();
    mailer = await createThreadedSmtpMailer({ from: FROM, url: sink.url, maxConnections: 2 });
    await mailer.verify();
    await sendSpliced(mailer, spliced('ann@example.com'), { messageId: '<1@example.com>' });
    const raw = Buffer.from('From: digest@example.com\r\nTo: bo@example.com\r\nSubject: raw\r\nMessage-ID: <2@example.com>\r\n\r\nHello\r\n');
    // The same buffer twice: only memory made for one send may move to the thread.
    await mailer.encoded!.sendRaw(raw, { from: 'digest@example.com', to: 'bo@example.com' }, '<2@example.com>');
    await mailer.encoded!.sendRaw(raw, { from: 'digest@example.com', to: 'cy@example.com' }, '<3@example.com>');
    expect(raw.length).toBeGreaterThan(0);
    await mailer.send({ to: { address: 'di@example.com' }, subject: 'Built', html: '<p>Hi</p>', text: 'Hi' });
    expect(sink.messages.map((m) => m.to[0])).toEqual(['ann@example.com', 'bo@example.com', 'cy@example.com', 'di@example.com']);
    expect(sink.messages[0]!.parsed.text).toContain('Ann');
    expect(sink.messages[1]!.raw.equals(raw)).toBe(true);
    expect(sink.messages[2]!.raw.equals(raw)).toBe(true);
  });

  it('reports a relay’s refusal with its kind and code, as the in-process mailer does', async () => {
    sink = await startSmtpSink({ recipients: (a) => (a.startsWith('gone') ? { code: 550, message: 'no such user' } : 'accept') });
    mailer = await createThreadedSmtpMailer({ from: FROM, url: sink.url, maxConnections: 1 });
    const err = await failureOf(sendSpliced(mailer, spliced('gone@example.com'), { messageId: '<1@example.com>' }));
    expect(err).toBeInstanceOf(SmtpFailure);
    expect(err).toMatchObject({ kind: 'recipient-rejected', responseCode: 550, code: 'SMTP_PERMANENT' });
  });

  it('leaves a message in flight uncertain when the thread dies, never "not sent"', async () => {
    sink = await startSmtpSink();
    mailer = await createThreadedSmtpMailer({ from: FROM, url: sink.url, maxConnections: 1 }, fixture('dies-when-sending.mjs'));
    await mailer.verify();
    const err = await failureOf(sendSpliced(mailer, spliced('ann@example.com'), { messageId: '<1@example.com>' }));
    expect(err).toBeInstanceOf(SmtpFailure);
    expect(err!.kind).toBe('uncertain');
    expect(err!.message).toMatch(/SMTP thread stopped with the message in flight/);
  });

  it('seals a message (DKIM-signed, before any claim) and sends exactly those bytes, moved to the thread', async () => {
    const key = dkimKey('t1', 'news.example.com');
    sink = await startSmtpSink();
    mailer = await createThreadedSmtpMailer({ from: FROM, url: sink.url, maxConnections: 1, dkim: { domain: 'news.example.com', selector: 't1', privateKey: key.pem } });
    // Digest-sized (a small message shares Node's buffer pool, and is copied instead).
    const sealed = await mailer.encoded!.seal(spliced('ann@example.com', '<p>A story worth reading.</p>'.repeat(400)), { messageId: '<1@example.com>', envelopeFrom: 'bounce+1@news.example.com' });
    expect(sealed.envelope).toEqual({ from: 'bounce+1@news.example.com', to: 'ann@example.com' });
    const bytes = Buffer.from(sealed.bytes);
    expect(bytes.toString('latin1')).toMatch(/^DKIM-Signature: ?v=1; a=rsa-sha256;/);
    expect((await dkimVerify(bytes, { resolver: key.resolver as never })).results[0]!.status.result).toBe('pass');
    await mailer.encoded!.sendSealed(sealed);
    // Moved, not copied: the sealed message's memory now belongs to the thread.
    expect(sealed.bytes.length).toBe(0);
    expect(sink.messages[0]!.raw.equals(bytes)).toBe(true);
    expect(sink.messages[0]!.from).toBe('bounce+1@news.example.com');
  });

  it('stops the run (fatal, nothing sent) when the thread cannot start', async () => {
    sink = await startSmtpSink();
    mailer = await createThreadedSmtpMailer({ from: FROM, url: sink.url, maxConnections: 1 }, fixture('dies-at-start.mjs'));
    const err = await failureOf(sendSpliced(mailer, spliced('ann@example.com'), { messageId: '<1@example.com>' }));
    expect(err).toBeInstanceOf(SmtpFailure);
    expect(err!.kind).toBe('fatal');
    expect(err!.message).toMatch(/cannot load nodemailer/);
    await expect(mailer.verify()).rejects.toMatchObject({ kind: 'fatal' });
    expect(sink.messages).toHaveLength(0);
  });
});
