import type { EncodedSending } from './mime/encoded-sending.js';
import type { ListHeaders } from '../model/message.js';

/** Re-exported: the deliver layer's callers name list headers through the mailer. */
export type { ListHeaders };

/**
 * The narrow interface every stage sends mail through. The digest run and the web pages depend
 * on this, never on nodemailer, so a provider adapter can replace SMTP without touching them.
 */

/** One message, fully rendered and personalised. */
export interface OutgoingMessage {
  to: { address: string; name?: string | null };
  subject: string;
  html: string;
  text: string;
  /** Set for newsletter mail; transactional mail (confirmations) leaves it out. */
  list?: ListHeaders;
  /** `<id@domain>`; generated when missing. Known before sending so the ledger can record it. */
  messageId?: string;
  /** Extra headers, e.g. X-Entity-Ref-ID. Values are sanitised against CR/LF. */
  headers?: Record<string, string>;
  /** SMTP envelope sender (MAIL FROM, so the Return-Path), e.g. a per-delivery VERP address; absent means the From address. */
  envelopeFrom?: string;
}

/** What the server said when it took the message. */
export interface SendReceipt {
  messageId: string;
  response: string;
}

/** Sends mail. Failures throw an {@link import('./smtp-failure.js').SmtpFailure}. */
export interface Mailer {
  /** 'smtp' for a real server, 'outbox' for .eml files on disk. */
  readonly kind: 'smtp' | 'outbox';
  /** A human description for logs, without credentials. */
  describe(): string;
  /** Checks the server is reachable and accepts our login; throws SMTP_UNREACHABLE otherwise. */
  verify(): Promise<void>;
  /** Sends one message. */
  send(message: OutgoingMessage): Promise<SendReceipt>;
  /**
   * The digest fast path: editions encoded once, readers spliced into the bytes, sent as they are.
   * A mailer without it (a test double, a provider API) gets built messages through `send`.
   */
  readonly encoded?: EncodedSending;
  /** Closes pooled connections. */
  close(): Promise<void>;
}
