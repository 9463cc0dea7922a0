import type { MessageParts, PersonalValues } from '../model/edition.js';
import type { LinkBuilder } from '../security/subscriber-links.js';
import { newMessageId } from './headers.js';
import type { ListHeaders, Mailer, OutgoingMessage, SendReceipt } from './mailer.js';
import type { EncodedEdition } from './mime/encoded-edition.js';
import type { EncodedSending } from './mime/encoded-sending.js';

/**
 * The one place a rendered edition becomes one reader's message. The send loop and `preview`
 * both call it, so a preview file carries exactly the links and list headers a sent digest does.
 */

/** The reader a digest goes to. */
export interface DigestRecipient {
  id: number;
  publicId: string;
  email: string;
  name: string | null;
  signingKey: string;
}

/** The list settings every digest message carries. */
export interface DigestListSettings {
  listId: string;
  unsubscribeMailto?: string;
}

/** One reader's digest before the edition is filled in: recipient, personal values, list headers. */
export interface DigestAddressing {
  to: { address: string; name: string | null };
  values: PersonalValues;
  list: ListHeaders;
  headers: Record<string, string>;
}

/** The per-reader half of a digest: signed links, the values to fill, and the RFC 2369/8058 headers. */
export function digestAddressing(
  reader: DigestRecipient,
  editionKey: string,
  links: LinkBuilder,
  list: DigestListSettings,
  /** Ties the message to its ledger row (X-Entity-Ref-ID), e.g. the delivery id. */
  reference: string | number,
): DigestAddressing {
  const personal = links.forSubscriber(reader);
  return {
    to: { address: reader.email, name: reader.name },
    values: { name: reader.name, email: reader.email, ...personal, viewOnlineUrl: links.archiveUrl(editionKey) },
    list: {
      unsubscribeUrl: personal.unsubscribeUrl,
      ...(list.unsubscribeMailto ? { unsubscribeMailto: list.unsubscribeMailto } : {}),
      id: list.listId,
      archiveUrl: links.archiveIndexUrl(),
      helpUrl: links.signupUrl(),
    },
    headers: { 'X-Entity-Ref-ID': `${editionKey}.${reference}` },
  };
}

/**
 * Personalises an edition for one reader and wraps it with the RFC 2369/8058 list headers.
 * The Message-ID is left to the caller: the send loop mints a fresh one per attempt.
 */
export function digestMessage(
  reader: DigestRecipient,
  /** The edition's key and its compiled personaliser. */
  edition: { key: string; personalise: (values: PersonalValues) => MessageParts },
  links: LinkBuilder,
  list: DigestListSettings,
  /** Ties the message to its ledger row (X-Entity-Ref-ID), e.g. the delivery id. */
  reference: string | number,
): Omit<OutgoingMessage, 'messageId'> {
  const a = digestAddressing(reader, edition.key, links, list, reference);
  return { to: a.to, ...edition.personalise(a.values), list: a.list, headers: a.headers };
}

/**
 * A digest as the bytes a send carries: the edition encoded, one reader spliced in, signed.
 * `preview` writes these, so its .eml is what SMTP would get (with a fresh Message-ID).
 */
export function digestEncoder(sending: EncodedSending, fromAddress: string): (rendered: MessageParts, addressing: DigestAddressing) => Buffer {
  return (rendered, a) => sending.bytes(sending.encodeEdition(rendered).message({ ...a, messageId: newMessageId(fromAddress), date: new Date() }));
}

/**
 * One reader's send, prepared: the reader spliced into the encoded edition and sealed (signed)
 * when the mailer takes bytes, else a built message. Preparing is separate from sending so the
 * send loop can prepare before it claims the ledger row (a message that cannot be built never
 * leaves a row uncertain), and while the message before is still in flight.
 */
export async function digestTransmission(
  mailer: Mailer,
  edition: { personalise: (values: PersonalValues) => MessageParts; encoded?: EncodedEdition },
  a: DigestAddressing,
  messageId: string,
  envelopeFrom: string | undefined,
): Promise<() => Promise<SendReceipt>> {
  const encoded = mailer.encoded;
  const envelope = envelopeFrom ? { envelopeFrom } : {};
  if (edition.encoded && encoded) {
    const sealed = await encoded.seal(edition.encoded.message({ ...a, messageId, date: new Date() }), { messageId, ...envelope });
    return () => encoded.sendSealed(sealed);
  }
  const message = { to: a.to, ...edition.personalise(a.values), list: a.list, headers: a.headers, messageId, ...envelope };
  return () => mailer.send(message);
}
