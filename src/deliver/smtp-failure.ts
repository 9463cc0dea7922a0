import { AppError, type ErrorCode } from '../errors.js';

/**
 * How a failed send should be handled:
 * - `recipient-rejected`: the server refused this address for good (5xx on RCPT): a hard bounce.
 * - `message-rejected`: the server refused this message for good (5xx elsewhere): fail the delivery.
 * - `transient`: 4xx, or a lost connection before the message's final dot: retry with backoff.
 * - `uncertain`: the whole message was handed over, then the connection was lost or timed out
 *   with no reply. The server may have it, so it is never retried automatically.
 * - `fatal`: nothing will get through (authentication, TLS, configuration): stop the run.
 */
export type SmtpFailureKind = 'recipient-rejected' | 'message-rejected' | 'transient' | 'uncertain' | 'fatal';

const CODE_OF: Record<SmtpFailureKind, 'SMTP_TRANSIENT' | 'SMTP_UNREACHABLE' | 'SMTP_PERMANENT' | 'SMTP_UNCERTAIN'> = {
  'recipient-rejected': 'SMTP_PERMANENT',
  'message-rejected': 'SMTP_PERMANENT',
  transient: 'SMTP_TRANSIENT',
  uncertain: 'SMTP_UNCERTAIN',
  fatal: 'SMTP_UNREACHABLE',
};

/** A classified SMTP failure. */
export class SmtpFailure extends AppError {
  readonly kind: SmtpFailureKind;
  readonly responseCode: number | undefined;
  /**
   * The server went silent: no reply within SMTP_TIMEOUT_SECONDS. Senders stop their pass on it
   * rather than wait the timeout out again for every message of a stalled relay.
   */
  readonly silent: boolean;

  constructor(kind: SmtpFailureKind, message: string, responseCode: number | undefined, cause?: unknown, silent = false) {
    super(CODE_OF[kind], message, {
      cause,
      hint:
        kind === 'fatal'
          ? 'check SMTP_URL (host, port, credentials, smtp:// vs smtps://) and that the server is running'
          : kind === 'uncertain'
            ? "check the relay's log for the Message-ID, then: topic-digest deliveries resolve <id> --delivered or --not-delivered"
            : undefined,
    });
    this.name = 'SmtpFailure';
    this.kind = kind;
    this.responseCode = responseCode;
    this.silent = silent;
  }
}

/**
 * How far one message got on the wire. nodemailer reports a connection lost or timed out after
 * the final dot exactly as one lost before MAIL FROM (code ECONNECTION/ETIMEDOUT, command
 * "CONN"), so the mailer records the stage itself: `bodyHandedOver` turns true once the message
 * stream has ended into nodemailer's DATA stream, which then writes the terminating dot at once.
 */
export interface SendStage {
  bodyHandedOver: boolean;
}

/** The reason recorded on a row left uncertain this way. */
export const NO_REPLY_AFTER_DATA = 'no reply after DATA';

interface NodemailerLikeError {
  code?: string;
  name?: string;
  responseCode?: number;
  command?: string;
  response?: string;
  message?: string;
}

/** Codes for "the connection went away or went silent": the server gave no reply at all. */
const NO_REPLY_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'ECONNRESET', 'EDNS', 'ECONNREFUSED', 'EPIPE', 'ABORT_ERR']);

/**
 * Turns whatever nodemailer threw into an {@link SmtpFailure} with the right kind. A reply code
 * decides when there is one; without one, `stage` tells a loss before the final dot (safe to
 * retry) from one after it (uncertain).
 */
export function classifySmtpError(err: unknown, stage?: SendStage): SmtpFailure {
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
  const noReply = (e.code !== undefined && NO_REPLY_CODES.has(e.code)) || e.name === 'AbortError';
  const silent = e.code === 'ETIMEDOUT' || e.name === 'AbortError';
  if (stage?.bodyHandedOver && (noReply || code === undefined)) {
    return new SmtpFailure('uncertain', `${NO_REPLY_AFTER_DATA} (${e.code ?? e.name ?? 'error'}): ${reply}`, code, err, silent);
  }
  if (noReply) {
    return new SmtpFailure('transient', `SMTP connection problem (${e.code ?? e.name}): ${reply}`, code, err, silent);
  }
  return new SmtpFailure('transient', `SMTP send failed: ${reply}`, code, err);
}

/**
 * A nodemailer 'stream' plugin that records, per message, when its body has been handed to the
 * DATA stream. The stage object travels in the mail options under {@link STAGE_KEY}.
 */
export function trackSendStage(mail: { data: Record<string, unknown>; message: { createReadStream: (...a: never[]) => NodeJS.ReadableStream } }, done: (err?: Error | null) => void): void {
  const stage = mail.data[STAGE_KEY] as SendStage | undefined;
  if (stage) {
    const message = mail.message;
    const create = message.createReadStream.bind(message);
    // 'end' fires once the consumer (nodemailer's DATA stream) has read the last byte; from then
    // on the dot may be on the wire, so any loss without a reply is uncertain.
    message.createReadStream = ((...args: never[]) => create(...args).once('end', () => (stage.bodyHandedOver = true))) as typeof message.createReadStream;
  }
  done();
}

/** The mail-options key {@link trackSendStage} reads the stage from. */
export const STAGE_KEY = 'topicDigestSendStage';

/** An error as plain data, to cross from the SMTP thread to the sender (structured clone drops classes). */
export type WireError =
  | { kind: SmtpFailureKind; message: string; responseCode?: number; silent: boolean; cause?: string }
  | { code: ErrorCode; message: string; hint?: string; cause?: string }
  | { message: string };

/** `err` as {@link WireError}: what {@link errorFromWire} needs to rebuild it on the other side. */
export function errorToWire(err: unknown): WireError {
  const cause = err instanceof Error && err.cause instanceof Error ? { cause: err.cause.message } : {};
  if (err instanceof SmtpFailure) {
    return { kind: err.kind, message: err.message, ...(err.responseCode === undefined ? {} : { responseCode: err.responseCode }), silent: err.silent, ...cause };
  }
  if (err instanceof AppError) return { code: err.code, message: err.message, ...(err.hint ? { hint: err.hint } : {}), ...cause };
  return { message: err instanceof Error ? err.message : String(err) };
}

/** The error {@link errorToWire} described: the same class, kind, code, hint and cause message. */
export function errorFromWire(w: WireError): Error {
  const cause = 'cause' in w && w.cause !== undefined ? new Error(w.cause) : undefined;
  if ('kind' in w) return new SmtpFailure(w.kind, w.message, w.responseCode, cause, w.silent);
  if ('code' in w) return new AppError(w.code, w.message, { ...(cause ? { cause } : {}), ...(w.hint ? { hint: w.hint } : {}) });
  return new Error(w.message);
}
