import type { MessageParts } from '../model/edition.js';
import { token } from '../render/personal-tokens.js';
import type { LinkBuilder } from '../security/subscriber-links.js';
import { digestAddressing, type DigestListSettings } from './digest-message.js';
import type { EncodedEdition } from './mime/encoded-edition.js';

/**
 * An edition's header block as the send loop writes it, for the console: the encoded edition
 * spliced for a stand-in reader through the same {@link digestAddressing} a send uses, with every
 * per-reader or per-attempt value shown as a `%%td:…%%` placeholder instead. DKIM-Signature is
 * not in it: it is computed per message over the finished bytes.
 */

// Never signed into a real link: its links are replaced by placeholders below.
const STAND_IN = { id: 0, publicId: 'stand-in', email: 'stand-in@invalid', name: null, signingKey: 'stand-in' };

/** The headers every reader's copy of `edition` carried, CRLF turned into LF, placeholders for personal values. */
export function editionHeaderBlock(
  edition: MessageParts & { key: string },
  encode: (parts: MessageParts) => EncodedEdition,
  links: LinkBuilder,
  list: DigestListSettings,
): string {
  const a = digestAddressing(STAND_IN, edition.key, links, list, '%%td:delivery_id%%');
  const message = encode(edition).message({
    to: { address: token('email'), name: token('name') },
    values: { name: token('name'), email: token('email'), unsubscribeUrl: token('unsubscribe_url'), preferencesUrl: token('preferences_url'), viewOnlineUrl: a.values.viewOnlineUrl },
    list: { ...a.list, unsubscribeUrl: token('unsubscribe_url') },
    headers: a.headers,
    messageId: '<%%td:message_id%%>',
    date: new Date(0),
  });
  // Message-ID and Date are minted per attempt; say so rather than show a made-up value.
  return message.headers
    .replace(/^Date: .*$/m, 'Date: %%td:send_time%%')
    .replace(/\r\n/g, '\n')
    .trimEnd();
}
