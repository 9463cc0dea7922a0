import { describe, expect, it } from 'vitest';
import type { RawSubscriberRow } from '../../../src/subscribers/subscriber-file.js';
import { validateSubscriberRow } from '../../../src/subscriptions/subscriber-row.js';

const catalogue = new Set(['world', 'tech', 'sport']);
const row = (fields: Partial<RawSubscriberRow>): RawSubscriberRow => ({ row: 7, label: 'line 7', problems: [], ...fields });

describe('validateSubscriberRow', () => {
  it('normalises a good row', () => {
    const r = validateSubscriberRow(
      row({ email: ' Ann@Example.COM ', name: '  Ann Lee ', topics: [' world', 'tech', 'world', ''], timezone: 'europe/london' }),
      catalogue,
    );
    expect(r).toEqual({ ok: true, value: { email: 'Ann@example.com', name: 'Ann Lee', topics: ['world', 'tech'], timezone: 'Europe/London' } });
  });

  it('keeps "not given" (undefined) apart from "cleared" (null)', () => {
    const absent = validateSubscriberRow(row({ email: 'a@example.com', topics: ['world'] }), catalogue);
    const cleared = validateSubscriberRow(row({ email: 'a@example.com', topics: ['world'], name: '  ', timezone: '' }), catalogue);
    expect(absent).toMatchObject({ ok: true, value: { name: undefined, timezone: undefined } });
    expect(cleared).toMatchObject({ ok: true, value: { name: null, timezone: null } });
  });

  it('collects every problem in a row, keeping the address for duplicate checks', () => {
    const r = validateSubscriberRow(row({ email: 'a@example.com', name: 'Eve\u0000', topics: ['world', 'Tech', 'cooking'], timezone: 'Mars/Olympus' }), catalogue);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.email).toBe('a@example.com');
    expect(r.problems).toEqual([
      expect.stringMatching(/name .* contains a control character/),
      expect.stringMatching(/unknown topics "Tech" \(did you mean "tech"\?\), "cooking"/),
      expect.stringMatching(/timezone "Mars\/Olympus" is not an IANA timezone/),
    ]);
  });

  it.each<[Partial<RawSubscriberRow>, RegExp]>([
    [{ topics: ['world'] }, /email is missing/],
    [{ email: 42, topics: ['world'] }, /email must be text/],
    [{ email: 'nobody', topics: ['world'] }, /has no @/],
    [{ email: 'a@example.com' }, /at least one topic is required/],
    [{ email: 'a@example.com', topics: [] }, /at least one topic is required/],
    [{ email: 'a@example.com', topics: ['', ' '] }, /at least one topic is required/],
    [{ email: 'a@example.com', topics: 'world' }, /list of topic slugs/],
    [{ email: 'a@example.com', topics: ['world', 3] }, /list of topic slugs/],
    [{ email: 'a@example.com', topics: ['world'], name: 'x'.repeat(101) }, /longer than 100/],
    [{ email: 'a@example.com', topics: ['world'], name: 'esc\u001b[31m' }, /control character/],
    [{ email: 'a@example.com', topics: ['world'], name: 5 }, /name must be text/],
    [{ email: 'a@example.com', topics: ['world'], timezone: '+08:00' }, /not an IANA timezone/],
    [{ email: 'a@example.com', topics: ['world'], timezone: 8 }, /timezone must be text/],
  ])('refuses %j', (fields, problem) => {
    const r = validateSubscriberRow(row(fields), catalogue);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.join('; ')).toMatch(problem);
  });

  it('accepts a name of exactly 100 characters, counting code points', () => {
    const name = '🙂'.repeat(100);
    expect(validateSubscriberRow(row({ email: 'a@example.com', topics: ['world'], name }), catalogue)).toMatchObject({ ok: true, value: { name } });
  });

  it('reports only the shape problems of a malformed row', () => {
    const r = validateSubscriberRow(row({ problems: ['has 3 fields but the header has 4'] }), catalogue);
    expect(r).toEqual({ ok: false, email: undefined, problems: ['has 3 fields but the header has 4'] });
  });
});
