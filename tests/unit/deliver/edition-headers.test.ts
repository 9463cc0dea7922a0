import { describe, expect, it } from 'vitest';
import { editionHeaderBlock } from '../../../src/deliver/edition-headers.js';
import { encodeEdition } from '../../../src/deliver/mime/encoded-edition.js';
import { LinkBuilder } from '../../../src/security/subscriber-links.js';

/** The console's header block: the send path's headers, personal values as placeholders, one header per line. */

const links = new LinkBuilder('https://digest.example', 'secret-key-that-is-long-enough-0123456789');
const list = { listId: 'Gazette <digest.gazette.example>', unsubscribeMailto: 'mailto:news@gazette.example?subject=unsubscribe' };
const encode = (parts: { subject: string; html: string; text: string }) => encodeEdition(parts, { from: 'Gazette <news@gazette.example>' });

describe('editionHeaderBlock', () => {
  it('shows edition-wide headers as sent and personal ones as placeholders', () => {
    const block = editionHeaderBlock({ key: 'ed-1', subject: 'Morning: harbour reopens', html: '<p>%%td:greeting%%</p>', text: '%%td:greeting%%' }, encode, links, list);
    const lines = block.split('\n');
    expect(lines).toContain('Subject: Morning: harbour reopens');
    expect(lines).toContain('From: Gazette <news@gazette.example>');
    expect(lines).toContain('List-Id: Gazette <digest.gazette.example>');
    expect(lines).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(lines).toContain('Date: %%td:send_time%%');
    expect(lines).toContain('X-Entity-Ref-ID: ed-1.%%td:delivery_id%%');
    expect(block).toContain('List-Unsubscribe: <%%td:unsubscribe_url%%>');
    expect(block).not.toContain('/unsubscribe/');
    expect(block).not.toContain('\r');
  });

  it('a subject carrying a personal field shows its placeholder, and no CR/LF from the subject starts a header', () => {
    const block = editionHeaderBlock({ key: 'ed-2', subject: 'For %%td:name%%\r\nBcc: victim@example.com', html: '', text: '' }, encode, links, list);
    expect(block).toContain('Subject: For %%td:name%% Bcc: victim@example.com');
    expect(block.split('\n').filter((l) => l.startsWith('Bcc:'))).toEqual([]);
  });
});
