import { describe, expect, it } from 'vitest';
import { redactUrl } from '../../../src/web/request-log.js';

describe('redactUrl', () => {
  it.each([
    ['/confirm/eyJzIjoxfQ.c2lnbmF0dXJl', '/confirm/:redacted'],
    ['/confirm/eyJzIjoxfQ.c2lnbmF0dXJl/resend', '/confirm/:redacted/:redacted'],
    ['/unsubscribe/abc?List-Unsubscribe=One-Click', '/unsubscribe/:redacted?:redacted'],
    ['/preferences/x', '/preferences/:redacted'],
    ['/api/v1/subscribers/reader@example.com', '/api/:redacted/:redacted/:redacted'],
    ['/archive/2026-03-01-9f8e7d', '/archive/:redacted'],
    ['/subscribe?email=reader@example.com', '/subscribe?:redacted'],
    ['/', '/'],
    ['/archive', '/archive'],
    ['/assets/site.css', '/assets/:redacted'],
    ['/healthz#frag', '/healthz'],
  ])('%s → %s', (url, shown) => {
    expect(redactUrl(url)).toBe(shown);
  });

  it('never lets a token-like segment through, whatever the prefix', () => {
    const token = 'eyJwdXJwb3NlIjoidW5zdWJzY3JpYmUifQ.AbC_dEf-123';
    for (const prefix of ['', '/x', '/unknown/deeper', '/Confirm']) expect(redactUrl(`${prefix}/${token}`)).not.toContain('eyJ');
  });
});
