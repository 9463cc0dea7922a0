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
  /** {@link seal} then {@link sendSealed}. */
  sendSpliced(message: MimeMessage, options: SplicedSendOptions): Promise<SendReceipt>;
  /** The bytes `sendSpliced` would deliver (signed when DKIM is configured), e.g. for a preview .eml. */
  bytes(message: MimeMessage): Buffer;
  /** MAIL FROM when a send names none: the From address. */
  readonly envelopeFrom: string;
  /** Delivers finished bytes as they are (the benchmark's pre-encoded ceiling). */
  sendRaw(raw: Buffer, envelope: Envelope, messageId: string): Promise<SendReceipt>;
}

/** A message's final bytes: DKIM signatures (if any keys) in front of its headers and body. */
export function signedBytes(message: MimeMessage, keys: readonly DkimKey[], now: Date = new Date()): Buffer {
  if (keys.length === 0) return messageBytes(message);
  const body = Buffer.concat(message.bodyBuffers());
  return Buffer.concat([Buffer.from(dkimSignatures(message, keys, now, body) + message.headers + '\r\n', 'utf8'), body]);
}

/**
 * A canonical message's final bytes from its header block and its body as sent, signed where it
 * is sent: the SMTP thread gets these two, so the hashing and signing run beside the sending thread.
 * Synchronously: from a worker, the libuv-pool variant cost the calling thread 0.21 ms a message
 * (WebCrypto's digest set-up 0.075 ms, the async sign 0.14 ms) and the pool the RSA on top, against
 * 0.26 ms for doing both here.
 */
export function signedHeadAndBody(headers: string, body: Buffer, keys: readonly DkimKey[], now: Date = new Date()): Buffer {
  const canonical: Pick<MimeMessage, 'headers' | 'canonical' | 'canonicalBody'> = { headers, canonical: true, canonicalBody: () => [body.toString('latin1')] };
  return Buffer.concat([Buffer.from(dkimSignatures(canonical, keys, now, body) + headers + '\r\n', 'utf8'), body]);
}

/** {@link signedBytes} with the hashing and signing on the thread pool (the send path). */
export async function signedBytesOffThread(message: MimeMessage, keys: readonly DkimKey[], now: Date = new Date()): Promise<Buffer> {
  if (keys.length === 0) return messageBytes(message);
  const body = Buffer.concat(message.bodyBuffers());
  const signatures = await dkimSignaturesOffThread(message, keys, body, now);
  return Buffer.concat([Buffer.from(signatures + message.headers + '\r\n', 'utf8'), body]);
}

/**
 * Delivers finished bytes (SMTP `raw`, or a file). `owned`: the bytes were made for this one send
 * and nobody reads them after, so they may be moved rather than copied.
 */
export type RawDelivery = (raw: Buffer, envelope: Envelope, messageId: string, owned: boolean) => Promise<SendReceipt>;

/** Signs a canonical message's header block and body somewhere else (the SMTP thread), returning its final bytes. */
export type CanonicalSigner = (headers: string, body: Buffer) => Promise<Buffer>;

/**
 * Builds the fast path over a function that delivers finished bytes. `signCanonical`, when given,
 * signs the messages whose body the encoder kept canonical; the rest are signed here, with the
 * hashing and RSA on the libuv pool.
 */
export function createEncodedSending(sender: EditionSender, keys: readonly DkimKey[], deliver: RawDelivery, signCanonical?: CanonicalSigner): EncodedSending {
  const from = parseMailboxes(sender.from)[0]?.address ?? sender.from;
  const finalBytes = (message: MimeMessage): Buffer | Promise<Buffer> => {
    if (keys.length === 0) return messageBytes(message);
    if (signCanonical && message.canonical) return signCanonical(message.headers, Buffer.concat(message.bodyBuffers()));
    return signedBytesOffThread(message, keys);
  };
  const seal = async (message: MimeMessage, options: SplicedSendOptions): Promise<SealedMessage> => ({
    bytes: await finalBytes(message),
    envelope: { from: options.envelopeFrom ?? from, to: message.recipient },
    messageId: options.messageId,
  });
  const sendSealed = (s: SealedMessage) => deliver(s.bytes, s.envelope, s.messageId, true);
  return {
    encodeEdition: (parts) => encodeEdition(parts, sender),
    seal,
    sendSealed,
    sendSpliced: async (message, options) => sendSealed(await seal(message, options)),
    bytes: (message) => signedBytes(message, keys),
    envelopeFrom: from,
    sendRaw: (raw, envelope, messageId) => deliver(raw, envelope, messageId, false),
  };
}
