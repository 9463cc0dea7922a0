import { describe, expect, it } from 'vitest';
import { bounceKind, describeStatus, statusFromText } from '../../../src/feedback/status-codes.js';

describe('bounce classification', () => {
  it.each([
    ['5.1.1', '', 'hard'],
    ['5.1.2', '', 'hard'],
    ['5.7.1', 'blocked', 'hard'],
    ['5.2.2', '', 'soft'],
    ['5.0.0', '550 Mailbox full', 'soft'],
    ['4.2.2', '', 'soft'],
    ['4.4.7', 'expired', 'soft'],
  ] as const)('%s (%s) is %s', (status, diagnostic, kind) => {
    expect(bounceKind(status, diagnostic)).toBe(kind);
  });

  it.each([
    ['550 5.1.1 <a@b.c>: Recipient address rejected', '5.1.1'],
    ['Sorry, no mailbox here by that name. (#5.1.1)', '5.1.1'],
    ['#550 5.1.10 RESOLVER.ADR.RecipientNotFound', '5.1.10'],
    ['user is over quota', '5.2.2'],
    ['552 Requested mail action aborted: exceeded storage allocation', '5.2.2'],
    ['Host or domain name not found', '5.1.2'],
    ['550 User unknown', '5.1.1'],
    ['451 Greylisted, try later', '4.0.0'],
    ['Message delivered: 2.0.0 OK', undefined],
    ['nothing here', undefined],
  ])('finds the status in %j', (text, status) => {
    expect(statusFromText(text)).toBe(status);
  });

  it('describes common codes', () => {
    expect(describeStatus('5.1.1')).toBe('5.1.1 bad destination mailbox address');
    expect(describeStatus('5.9.9')).toBe('5.9.9');
  });
});
