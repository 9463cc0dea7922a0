import { afterEach, describe, expect, it } from 'vitest';
import type { Mailer } from '../../../src/deliver/mailer.js';
import { createSmtpMailer } from '../../../src/deliver/nodemailer-mailer.js';
import { SmtpFailure, type SmtpFailureKind } from '../../../src/deliver/smtp-failure.js';
import { createThreadedSmtpMailer } from '../../../src/deliver/threaded-mailer.js';
import { startMisbehavingSmtp, type MisbehavingSmtp, type SmtpFault } from '../../helpers/misbehaving-smtp.js';

const MESSAGE = { to: { address: 'ann@example.com' }, subject: 'Hello', html: '<p>Hi</p>', text: 'Hi' };

/** Each fault against nodemailer's real pool: what the mailer must make of it, and whether the server has the message. */
const CASES: Array<[SmtpFault, SmtpFailureKind, boolean]> = [
  ['close-after-data', 'uncertain', true],
  ['silent-after-data', 'uncertain', true],
  ['late-reply', 'uncertain', true],
  ['reset-before-data', 'transient', false],
  ['greeting-421', 'transient', false],
  ['rcpt-451', 'transient', false],
  ['rcpt-550', 'recipient-rejected', false],
];

// The app sends through the SMTP thread; the thread runs the in-process mailer. Both must agree.
describe.each([
  ['in-process', createSmtpMailer],
  ['in the SMTP thread', createThreadedSmtpMailer],
])('SMTP failures are classified by the stage they happen at (%s)', (_where, createMailer) => {
  let server: MisbehavingSmtp | undefined;
  let mailer: Mailer | undefined;
  afterEach(async () => {
    await mailer?.close();
    await server?.close();
  });

  it.each(CASES)('%s → %s', async (fault, kind, saved) => {
    server = await startMisbehavingSmtp(fault, { lateMs: 4_000 });
    mailer = await createMailer({ from: 'Digest <digest@example.com>', url: server.url, maxConnections: 1, timeoutSeconds: 2 });
    const started = Date.now();
    const err = await mailer.send(MESSAGE).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SmtpFailure);
    expect((err as SmtpFailure).kind, (err as SmtpFailure).message + ' cause=' + JSON.stringify({ code: ((err as SmtpFailure).cause as { code?: string })?.code, name: ((err as SmtpFailure).cause as Error)?.name })).toBe(kind);
    if (kind === 'uncertain') expect((err as SmtpFailure).message).toMatch(/^no reply after DATA/);
    expect(server.injected()).toBe(1);
    expect(server.messages.length).toBe(saved ? 1 : 0);
    // Bounded by SMTP_TIMEOUT_SECONDS (2 s here), with slack for a loaded machine.
    expect(Date.now() - started).toBeLessThan(3_900);
    // The fault struck once; the same mailer then gets the message through.
    await expect(mailer.send(MESSAGE)).resolves.toMatchObject({ messageId: expect.any(String) });
    expect(server.messages.length).toBe(saved ? 2 : 1);
  }, 15_000);
});
