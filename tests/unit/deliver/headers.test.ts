import { describe, expect, it } from 'vitest';
import { defaultListId, domainOf, headerSafe, listHeaders, newMessageId } from '../../../src/deliver/headers.js';
import { classifySmtpError } from '../../../src/deliver/smtp-failure.js';

describe('header helpers', () => {
  it('strips CR/LF and control characters so nothing can start a new header', () => {
    expect(headerSafe('Ann\r\nBcc: victim@example.com')).toBe('Ann Bcc: victim@example.com');
    expect(headerSafe('a\u0000b\u2028c')).toBe('a b c');
  });
  it('mints Message-IDs on the sender domain', () => {
    expect(domainOf('Digest <News@Example.COM>')).toBe('example.com');
    const a = newMessageId('Digest <news@example.com>');
    expect(a).toMatch(/^<[0-9a-f-]{36}@example\.com>$/);
    expect(newMessageId('news@example.com')).not.toBe(a);
  });
  it('builds the RFC 2369/2919/8058 list headers', () => {
    const h = listHeaders({ unsubscribeUrl: 'https://x.example/unsubscribe/T', unsubscribeMailto: 'mailto:u@x.example?subject=unsubscribe', id: defaultListId('Topic Digest', 'd@x.example') });
    expect(h['List-Unsubscribe']).toBe('<https://x.example/unsubscribe/T>, <mailto:u@x.example?subject=unsubscribe>');
    expect(h['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(h['List-Id']).toBe('Topic Digest <digest.x.example>');
  });
});

describe('classifySmtpError', () => {
  it('sorts replies into recipient, message, transient and fatal failures', () => {
    expect(classifySmtpError({ code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO', response: '550 no such user' }).kind).toBe('recipient-rejected');
    expect(classifySmtpError({ code: 'EMESSAGE', responseCode: 554, command: 'DATA', response: '554 spam' }).kind).toBe('message-rejected');
    expect(classifySmtpError({ code: 'EENVELOPE', responseCode: 451, command: 'RCPT TO' }).kind).toBe('transient');
    expect(classifySmtpError({ code: 'ECONNECTION', message: 'connect ECONNREFUSED' }).kind).toBe('transient');
    expect(classifySmtpError({ code: 'EAUTH', responseCode: 535 }).kind).toBe('fatal');
  });
  it('never carries CR/LF from the server reply into its message', () => {
    expect(classifySmtpError({ responseCode: 550, command: 'RCPT TO', response: '550 a\r\nb' }).message).not.toMatch(/[\r\n]/);
  });
});
