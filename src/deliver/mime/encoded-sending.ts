import type { MessageParts } from '../../model/edition.js';
import type { SendReceipt } from '../mailer.js';
import { dkimSignatures, dkimSignaturesOffThread, type DkimKey } from './dkim-signer.js';
import { encodeEdition, messageBytes, type EditionSender, type EncodedEdition, type MimeMessage } from './encoded-edition.js';
import { parseMailboxes } from './header-encoding.js';

/** The SMTP envelope of one message. */
export interface Envelope {
  from: string;
  to: string;
}

/** How one spliced message goes out. */
export interface SplicedSendOptions {
  messageId: string;
  /** MAIL FROM; defaults to the From address. A VERP return path goes here. */
  envelopeFrom?: string;
}

/**
 * One spliced message as it will go out: signed (when DKIM is configured) and addressed. Its bytes
 * belong to it alone, so a send may move them to the SMTP thread instead of copying them; a
 * sealed message is sent at most once.
 */
export interface SealedMessage {
  readonly bytes: Buffer;
  readonly envelope: Envelope;
  readonly messageId: string;
}

/**
 * The digest fast path a mailer offers: editions encoded once for this sender, each reader's
 * message signed and sent as bytes, untouched by the transport.
 */
export interface EncodedSending {
  /** Encodes a rendered edition (with personal tokens) once, with this sender's From and Reply-To. */
  encodeEdition(parts: MessageParts): EncodedEdition;
  /**
   * Signs (when DKIM is configured) and addresses one spliced message, ready to send. The send
   * loop seals a reader's message while the one before is still in flight, before its claim, so
   * the claim-to-send path carries no signing.
   */
  seal(message: MimeMessage, options: SplicedSendOptions): Promise<SealedMessage>;
  /** Delivers a sealed message. */
  sendSealed(sealed: SealedMessage): Promise<SendReceipt>;
  /** The bytes `seal` makes (signed when DKIM is configured), synchronously, e.g. for a preview .eml. */
  bytes(message: MimeMessage): Buffer;
  /** MAIL FROM when a send names none: the From address. */
  readonly envelopeFrom: string;
  /** Delivers finished bytes as they are (the benchmark's pre-encoded ceiling). */
  sendRaw(raw: Buffer, envelope: Envelope, messageId: string): Promise<SendReceipt>;
}

/** A message's final bytes: DKIM signatures (if any keys) in front of its headers and body. */
export function signedBytes(message: MimeMessage, keys: readonly DkimKey[], now: Date = new Date()): Buffer {
  return messageBytes(message, dkimSignatures(message, keys, now));
}

/** {@link signedBytes} with the RSA on the thread pool (the send path). */
export async function signedBytesOffThread(message: MimeMessage, keys: readonly DkimKey[], now: Date = new Date()): Promise<Buffer> {
  return messageBytes(message, await dkimSignaturesOffThread(message, keys, now));
}

/**
 * Delivers finished bytes (SMTP `raw`, or a file). `owned`: the bytes were made for this one send
 * and nobody reads them after, so they may be moved rather than copied.
 */
export type RawDelivery = (raw: Buffer, envelope: Envelope, messageId: string, owned: boolean) => Promise<SendReceipt>;

/** Builds the fast path over a function that delivers finished bytes. */
export function createEncodedSending(sender: EditionSender, keys: readonly DkimKey[], deliver: RawDelivery): EncodedSending {
  const from = parseMailboxes(sender.from)[0]?.address ?? sender.from;
  const seal = async (message: MimeMessage, options: SplicedSendOptions): Promise<SealedMessage> => ({
    bytes: keys.length === 0 ? messageBytes(message) : await signedBytesOffThread(message, keys),
    envelope: { from: options.envelopeFrom ?? from, to: message.recipient },
    messageId: options.messageId,
  });
  const sendSealed = (s: SealedMessage) => deliver(s.bytes, s.envelope, s.messageId, true);
  return {
    encodeEdition: (parts) => encodeEdition(parts, sender),
    seal,
    sendSealed,
    bytes: (message) => signedBytes(message, keys),
    envelopeFrom: from,
    sendRaw: (raw, envelope, messageId) => deliver(raw, envelope, messageId, false),
  };
}
