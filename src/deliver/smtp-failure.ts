import { AppError } from '../errors.js';

/**
 * How a failed send should be handled:
 * - `recipient-rejected`: the server refused this address for good (5xx on RCPT): a hard bounce.
 * - `message-rejected`: the server refused this message for good (5xx elsewhere): fail the delivery.
 * - `transient`: 4xx or a lost connection: retry with backoff.
 * - `fatal`: nothing will get through (authentication, TLS, configuration): stop the run.
 */
export type SmtpFailureKind = 'recipient-rejected' | 'message-rejected' | 'transient' | 'fatal';

/** A classified SMTP failure. */
export class SmtpFailure extends AppError {
  readonly kind: SmtpFailureKind;
  readonly responseCode: number | undefined;

  constructor(kind: SmtpFailureKind, message: string, responseCode: number | undefined, cause?: unknown) {
    super(kind === 'transient' ? 'SMTP_TRANSIENT' : kind === 'fatal' ? 'SMTP_UNREACHABLE' : 'SMTP_PERMANENT', message, {
      cause,
      hint:
        kind === 'fatal'
          ? 'check SMTP_URL (host, port, credentials, smtp:// vs smtps://) and that the server is running'
          : undefined,
    });
    this.name = 'SmtpFailure';
    this.kind = kind;
    this.responseCode = responseCode;
  }
}

interface NodemailerLikeError {
  code?: string;
  responseCode?: number;
  command?: string;
  response?: string;
  message?: string;
}

const CONNECTION_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'ECONNRESET', 'EDNS', 'ECONNREFUSED', 'EPIPE']);

/** Turns whatever nodemailer threw into an {@link SmtpFailure} with the right kind. */
export function classifySmtpError(err: unknown): SmtpFailure {
  if (err instanceof SmtpFailure) return err;
  const e = (err ?? {}) as NodemailerLikeError;
  const code = e.responseCode;
  const reply = (e.response ?? e.message ?? String(err)).replace(/[\r\n]+/g, ' ').slice(0, 300);
  if (e.code === 'EAUTH' || e.code === 'ETLS' || e.code === 'ECONFIG') {
    return new SmtpFailure('fatal', `SMTP login or TLS failed: ${reply}`, code, err);
  }
  if (code !== undefined && code >= 500 && code < 600) {
    const onRecipient = /RCPT/i.test(e.command ?? '') || e.code === 'EENVELOPE';
    return new SmtpFailure(onRecipient ? 'recipient-rejected' : 'message-rejected', `SMTP ${code}: ${reply}`, code, err);
  }
  if (code !== undefined && code >= 400 && code < 500) {
    return new SmtpFailure('transient', `SMTP ${code}: ${reply}`, code, err);
  }
  if (e.code && CONNECTION_CODES.has(e.code)) {
    return new SmtpFailure('transient', `SMTP connection problem (${e.code}): ${reply}`, code, err);
  }
  return new SmtpFailure('transient', `SMTP send failed: ${reply}`, code, err);
}
