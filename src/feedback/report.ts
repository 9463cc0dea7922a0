/**
 * What a bounce or complaint says, once read: the shape every source (a mail file, the IMAP
 * poller, a provider webhook) produces and the one the recorder consumes.
 */

/** How a report is treated: the address is dead, unwell, the reader complained, or nothing to do. */
export type FeedbackKind = 'hard' | 'soft' | 'complaint' | 'ignored';

/** Where the report came from and in which shape it was written. */
export type FeedbackFormat =
  | 'dsn'
  | 'arf'
  | 'postfix'
  | 'exim'
  | 'qmail'
  | 'exchange'
  | 'text-bounce'
  | 'auto-reply'
  | 'unknown'
  | 'ses'
  | 'postmark'
  | 'mailgun'
  | 'sendgrid';

/** The clues that tie a report to the delivery it is about. */
export interface FeedbackRefs {
  /** Addresses the report was sent to (To, Delivered-To, X-Original-To…): where a VERP token hides. */
  envelopeTo: string[];
  /** Message-IDs of the returned message, as `<id@host>`. */
  messageIds: string[];
  /** X-Entity-Ref-ID values of the returned message. */
  entityRefIds: string[];
  /** When the original message arrived or the report was written (ISO), for recipient+date matching. */
  date?: string;
}

/** One report, classified. */
export interface FeedbackReport {
  kind: FeedbackKind;
  format: FeedbackFormat;
  /** One line for the ledger and logs: the status and diagnostic, or why it was ignored. */
  summary: string;
  /** The address that bounced or complained, lower-cased, when the report names it. */
  recipient?: string;
  /** The RFC 3463 enhanced status code, e.g. 5.1.1. */
  status?: string;
  refs: FeedbackRefs;
  /** Identifies the report itself, so reading it twice changes nothing (e.g. its Message-ID, or a provider event id). */
  reportId?: string;
}

/** An empty set of clues. */
export function noRefs(): FeedbackRefs {
  return { envelopeTo: [], messageIds: [], entityRefIds: [] };
}
