import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readFeedbackMessage } from '../../../src/feedback/parse-report.js';
import type { FeedbackReport } from '../../../src/feedback/report.js';

const dir = fileURLToPath(new URL('../../fixtures/feedback/', import.meta.url));
const read = async (name: string) => readFeedbackMessage(await readFile(dir + name));

type Expect = Partial<Pick<FeedbackReport, 'kind' | 'format' | 'recipient' | 'status'>> & { messageId?: string; entityRef?: string; summary?: RegExp; envelope?: string };

const cases: [string, Expect][] = [
  ['rfc3464-simple-dsn.eml', { kind: 'hard', format: 'dsn', recipient: 'louisl@larry.slip.example.org', status: '5.1.1', messageId: '<3f2b7c1e-0001@news.example.com>', entityRef: '2026-01-15-6b1f0a.28', envelope: 'bounces+1c-5a1e0c2f9b7d@news.example.com' }],
  ['postfix-dsn-user-unknown.eml', { kind: 'hard', format: 'dsn', recipient: 'nobody.here@example.org', status: '5.1.1', messageId: '<7d0c2a9e-5b1f-4a8e-9c33-2f1a00000042@news.example.com>', entityRef: '2026-01-15-9a8b7c.42', summary: /User unknown/ }],
  ['postfix-dsn-mailbox-full.eml', { kind: 'soft', format: 'dsn', recipient: 'full.box@example.net', status: '5.2.2', summary: /mailbox full/i }],
  ['postfix-dsn-delayed.eml', { kind: 'soft', format: 'dsn', recipient: 'slow@example.com', status: '4.4.1', summary: /delayed/ }],
  ['postfix-dsn-bad-domain.eml', { kind: 'hard', format: 'dsn', recipient: 'someone@no-such-domain.example', status: '5.1.2', messageId: '<bad-domain-0005@news.example.com>' }],
  ['postfix-text-bounce.eml', { kind: 'hard', format: 'postfix', recipient: 'left.company@example.net', status: '5.1.1', messageId: '<postfix-text-0012@news.example.com>' }],
  ['gmail-dsn-address-not-found.eml', { kind: 'hard', format: 'dsn', recipient: 'no.such.reader@gmail.example', status: '5.1.1', messageId: '<gmail-case-0006@news.example.com>' }],
  ['exim-bounce-user-unknown.eml', { kind: 'hard', format: 'exim', recipient: 'ex.reader@example.co.uk', status: '5.1.1', messageId: '<exim-case-0007@news.example.com>', entityRef: '2026-01-15-77aa.7', envelope: 'bounces+7f-eeeeeeeeeeee@news.example.com' }],
  ['exim-delay-warning.eml', { kind: 'soft', format: 'exim', recipient: 'waiting@example.co.uk', status: '4.7.1' }],
  ['qmail-bounce.eml', { kind: 'hard', format: 'qmail', recipient: 'q.reader@example.org', status: '5.1.1', messageId: '<qmail-case-0009@news.example.com>' }],
  ['qmail-mailbox-quota.eml', { kind: 'soft', format: 'qmail', recipient: 'stuffed@example.org', status: '5.2.2' }],
  ['exchange-text-ndr.eml', { kind: 'hard', format: 'exchange', recipient: 'former.staff@corp.example.com', status: '5.1.10', messageId: '<exchange-case-0011@news.example.com>', entityRef: '2026-01-15-ee11.11' }],
  ['exchange-dsn-quota.eml', { kind: 'soft', format: 'dsn', recipient: 'busy.person@corp.example.com', status: '5.2.2', messageId: '<exchange-dsn-0021@news.example.com>' }],
  ['rfc5965-arf-abuse.eml', { kind: 'complaint', format: 'arf', recipient: 'some.reader@example.com', messageId: '<arf-case-0013@news.example.com>', entityRef: '2026-01-15-c5c5.13' }],
  ['yahoo-arf-complaint.eml', { kind: 'complaint', format: 'arf', recipient: 'yahoo.reader@yahoo.example', messageId: '<yahoo-case-0014@news.example.com>', summary: /Yahoo/ }],
  ['arf-redacted-recipient.eml', { kind: 'complaint', format: 'arf', messageId: '<redacted-case-0015@news.example.com>', entityRef: '2026-01-15-f00d.15' }],
  ['arf-not-spam.eml', { kind: 'ignored', format: 'arf', summary: /not-spam is not a complaint/ }],
  ['auto-reply-rfc3834.eml', { kind: 'ignored', format: 'auto-reply', summary: /Auto-Submitted/ }],
  ['auto-reply-exchange-oof.eml', { kind: 'ignored', format: 'auto-reply', summary: /Automatic reply/ }],
  ['human-reply.eml', { kind: 'ignored', format: 'unknown', summary: /not a bounce or complaint/ }],
  ['dsn-delivered.eml', { kind: 'ignored', format: 'dsn', summary: /delivery succeeded/ }],
];

describe('readFeedbackMessage on the fixtures', () => {
  it.each(cases)('%s', async (file, want) => {
    const r = await read(file);
    if (want.kind) expect(r.kind).toBe(want.kind);
    if (want.format) expect(r.format).toBe(want.format);
    if (want.status) expect(r.status).toBe(want.status);
    if ('recipient' in want) expect(r.recipient).toBe(want.recipient);
    if (want.messageId) expect(r.refs.messageIds).toContain(want.messageId);
    if (want.entityRef) expect(r.refs.entityRefIds).toContain(want.entityRef);
    if (want.summary) expect(r.summary).toMatch(want.summary);
    if (want.envelope) expect(r.refs.envelopeTo).toContain(want.envelope);
    expect(r.reportId).toMatch(/^message-id:</);
    // The report's own Message-ID is never taken for the returned message's.
    expect(r.refs.messageIds.every((id) => id.includes('news.example.com'))).toBe(true);
  });

  it('never throws on garbage: empty input and binary noise are ignored with a reason', async () => {
    for (const raw of [Buffer.alloc(0), Buffer.from([0, 255, 1, 2, 3, 10, 13]), 'Subject: x\r\n\r\n']) {
      const r = await readFeedbackMessage(raw);
      expect(r.kind).toBe('ignored');
      expect(r.summary).not.toBe('');
    }
  });

  it('a DSN for two recipients reports the failed one, not the delivered one', async () => {
    const raw = (await readFile(dir + 'rfc3464-simple-dsn.eml', 'utf8')).replace(
      'Final-Recipient: RFC822; louisl@larry.slip.example.org',
      'Final-Recipient: rfc822; ok@example.org\nAction: delivered\nStatus: 2.0.0\n\nFinal-Recipient: RFC822; louisl@larry.slip.example.org',
    );
    const r = await readFeedbackMessage(raw);
    expect(r).toMatchObject({ kind: 'hard', recipient: 'louisl@larry.slip.example.org' });
  });
});
