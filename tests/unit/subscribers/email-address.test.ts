import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.js';
import { checkEmailAddress, normaliseEmailAddress } from '../../../src/subscribers/email-address.js';

describe('checkEmailAddress', () => {
  it.each([
    ['alice@example.com', 'alice@example.com'],
    ['  alice@example.com\t', 'alice@example.com'],
    ['Alice.Smith@Example.COM', 'Alice.Smith@example.com'],
    ['o\'brien+news@mail.example.org', 'o\'brien+news@mail.example.org'],
    ['a_b-c!#$%&*/=?^`{|}~@sub-domain.example.co.uk', 'a_b-c!#$%&*/=?^`{|}~@sub-domain.example.co.uk'],
    ['x@xn--bcher-kva.example', 'x@xn--bcher-kva.example'],
    ['x@a1.io', 'x@a1.io'],
  ])('accepts %j as %j', (raw, expected) => {
    expect(checkEmailAddress(raw)).toEqual({ ok: true, email: expected });
  });

  it.each([
    ['alice@example.com\r\nBcc: victim@example.com', /line break/],
    ['alice@example.com\n', /line break/],
    ['', /missing/],
    ['   ', /missing/],
    ['ali ce@example.com', /space/],
    ['alice@exa\u0000mple.com', /control character/],
    ['alice.example.com', /no @/],
    ['a@b@example.com', /more than one @/],
    ['@example.com', /nothing before the @/],
    ['alice@', /nothing after the @/],
    ['alice@localhost', /without a dot/],
    ['alice@example..com', /invalid domain/],
    ['alice@-example.com', /invalid domain/],
    ['alice@example-.com', /invalid domain/],
    ['alice@exa_mple.com', /invalid domain/],
    ['alice@example.com.', /invalid domain/],
    ['alice@192.168.0.1', /invalid domain/],
    ['alice@bücher.example', /non-ASCII/],
    ['.alice@example.com', /misplaced dot/],
    ['alice.@example.com', /misplaced dot/],
    ['al..ice@example.com', /misplaced dot/],
    ['"alice smith"@example.com', /space|not allowed/],
    ['alice(comment)@example.com', /not allowed/],
    ['ålice@example.com', /not allowed/],
    [`${'a'.repeat(65)}@example.com`, /more than 64/],
    [`${'a'.repeat(60)}@${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(10)}.com`, /longer than 254/],
    [`a@${'b'.repeat(64)}.com`, /invalid domain/],
  ])('refuses %j', (raw, reason) => {
    const r = checkEmailAddress(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it('accepts exactly 254 characters and refuses 255', () => {
    const domain = `${'d'.repeat(63)}.${'e'.repeat(63)}.${'f'.repeat(63)}.${'g'.repeat(57)}`;
    const ok = `abcd@${domain}`;
    expect(ok).toHaveLength(254);
    expect(checkEmailAddress(ok).ok).toBe(true);
    expect(checkEmailAddress(`abcde@${domain}`)).toMatchObject({ ok: false, reason: expect.stringMatching(/254/) });
  });

  it('never echoes a raw line break in its reason', () => {
    const r = checkEmailAddress('x@example.com\r\nBcc: y@example.com');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).not.toMatch(/[\r\n]/);
  });
});

describe('normaliseEmailAddress', () => {
  it('returns the normalised address or throws SUBSCRIBER_INVALID', () => {
    expect(normaliseEmailAddress(' Bob@Example.ORG ')).toBe('Bob@example.org');
    expect(() => normaliseEmailAddress('bob')).toThrow(AppError);
    try {
      normaliseEmailAddress('bob');
    } catch (err) {
      expect((err as AppError).code).toBe('SUBSCRIBER_INVALID');
    }
  });
});
