import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.js';
import { classifySmtpError, errorFromWire, errorToWire, SmtpFailure } from '../../../src/deliver/smtp-failure.js';

/** Errors shaped as nodemailer 10 raises them (see tests/integration/deliver/smtp-stage.test.ts for the real ones). */
const closed = Object.assign(new Error('Connection closed unexpectedly'), { code: 'ECONNECTION', command: 'CONN' });
const timedOut = Object.assign(new Error('Timeout'), { code: 'ETIMEDOUT', command: 'CONN' });
const aborted = Object.assign(new Error('This operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR' });

describe('classifySmtpError', () => {
  it('a lost connection or silence before the body was handed over is transient', () => {
    for (const err of [closed, timedOut, aborted]) {
      expect(classifySmtpError(err).kind).toBe('transient');
      expect(classifySmtpError(err, { bodyHandedOver: false }).kind).toBe('transient');
    }
  });

  it('the same after the body was handed over is uncertain, with the recorded reason', () => {
    for (const err of [closed, timedOut, aborted]) {
      const f = classifySmtpError(err, { bodyHandedOver: true });
      expect(f.kind).toBe('uncertain');
      expect(f.code).toBe('SMTP_UNCERTAIN');
      expect(f.message).toMatch(/^no reply after DATA \((ECONNECTION|ETIMEDOUT|ABORT_ERR)\)/);
      expect(f.hint).toMatch(/deliveries resolve/);
    }
  });

  it('a reply decides whatever the stage: 4xx transient, 5xx on RCPT a bounce, 5xx after DATA a refusal', () => {
    const reply = (responseCode: number, command: string) => Object.assign(new Error('x'), { code: 'EMESSAGE', responseCode, command, response: `${responseCode} no` });
    expect(classifySmtpError(reply(451, 'DATA'), { bodyHandedOver: true }).kind).toBe('transient');
    expect(classifySmtpError(reply(550, 'DATA'), { bodyHandedOver: true }).kind).toBe('message-rejected');
    expect(classifySmtpError(Object.assign(reply(550, 'RCPT TO'), { code: 'EENVELOPE' })).kind).toBe('recipient-rejected');
    expect(classifySmtpError(Object.assign(new Error('bad login'), { code: 'EAUTH' })).kind).toBe('fatal');
  });

  it('keeps an already classified failure', () => {
    const f = new SmtpFailure('uncertain', 'no reply after DATA', undefined);
    expect(classifySmtpError(f, { bodyHandedOver: false })).toBe(f);
  });
});

describe('errors crossing from the SMTP thread', () => {
  // structuredClone is what postMessage does: classes and their fields beyond message are lost.
  const across = (err: unknown) => errorFromWire(structuredClone(errorToWire(err)));

  it('keep an SMTP failure’s kind, code, reply code, silence and cause', () => {
    const f = across(classifySmtpError(timedOut, { bodyHandedOver: true }));
    expect(f).toBeInstanceOf(SmtpFailure);
    expect(f).toMatchObject({ kind: 'uncertain', code: 'SMTP_UNCERTAIN', silent: true, message: expect.stringMatching(/^no reply after DATA/) });
    expect((f.cause as Error).message).toBe('Timeout');
    const rejected = across(classifySmtpError(Object.assign(new Error('550 no such user'), { responseCode: 550, command: 'RCPT TO' })));
    expect(rejected).toMatchObject({ kind: 'recipient-rejected', responseCode: 550, code: 'SMTP_PERMANENT' });
  });

  it('keep an AppError’s code and hint, and any other error’s message', () => {
    const config = across(new AppError('CONFIG_INVALID', 'cannot read DKIM_PRIVATE_KEY_FILE /k', { hint: 'check the path' }));
    expect(config).toBeInstanceOf(AppError);
    expect(config).toMatchObject({ code: 'CONFIG_INVALID', hint: 'check the path', message: 'cannot read DKIM_PRIVATE_KEY_FILE /k' });
    const other = across(new TypeError('boom'));
    expect(other).not.toBeInstanceOf(AppError);
    expect(other.message).toBe('boom');
  });
});
