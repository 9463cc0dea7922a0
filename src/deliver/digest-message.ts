import type { MessageParts, PersonalValues } from '../model/edition.js';
import type { LinkBuilder } from '../security/subscriber-links.js';
import type { OutgoingMessage } from './mailer.js';

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
  const personal = links.forSubscriber(reader);
  const parts = edition.personalise({ name: reader.name, email: reader.email, ...personal, viewOnlineUrl: links.archiveUrl(edition.key) });
  return {
    to: { address: reader.email, name: reader.name },
    ...parts,
    list: {
      unsubscribeUrl: personal.unsubscribeUrl,
      ...(list.unsubscribeMailto ? { unsubscribeMailto: list.unsubscribeMailto } : {}),
      id: list.listId,
      archiveUrl: links.archiveIndexUrl(),
      helpUrl: links.signupUrl(),
    },
    headers: { 'X-Entity-Ref-ID': `${edition.key}.${reference}` },
  };
}
