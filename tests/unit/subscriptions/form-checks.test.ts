import { describe, expect, it } from 'vitest';
import type { Topic } from '../../../src/model/topic.js';
import { validateSubscriberRow } from '../../../src/subscriptions/subscriber-row.js';
import { checkPreferences, checkSignup } from '../../../src/subscriptions/form-checks.js';
import { readSignupForm } from '../../../src/web/signup-form.js';

/**
 * Issue 11, "What was seen": the web form turned a newline in a name into a space while the
 * importer refused the same name. Both doors must give the same answer for the same name.
 */

const catalogue: Topic[] = [{ slug: 'world', name: 'World', description: null, keywords: [], position: 0 }];

function fromWeb(name: string) {
  const r = checkSignup(readSignupForm({ email: 'a@example.com', name, topics: 'world', timezone: 'UTC' }), catalogue);
  return r.ok ? { ok: true, name: r.signup.name } : { ok: false };
}

function fromImport(name: string) {
  const r = validateSubscriberRow({ row: 1, label: 'line 1', problems: [], email: 'a@example.com', name, topics: ['world'] }, new Set(['world']));
  return r.ok ? { ok: true, name: r.value.name } : { ok: false };
}

describe('a name reads the same through the web form and the importer', () => {
  it.each(['Ann\nLee', 'Ann\r\nLee', 'Ann\tLee', 'Ann\u2028Lee', '  Ann   Lee  '])('%j becomes "Ann Lee" in both', (name) => {
    expect(fromWeb(name)).toEqual({ ok: true, name: 'Ann Lee' });
    expect(fromImport(name)).toEqual({ ok: true, name: 'Ann Lee' });
  });

  it.each(['Eve\u0000', 'Eve\u001b[31m', 'Eve\u007f', 'Eve\u0085'])('%j is refused by both', (name) => {
    expect(fromWeb(name)).toEqual({ ok: false });
    expect(fromImport(name)).toEqual({ ok: false });
  });

  it('counts the length limit the same way (code points) in both', () => {
    const name = '🙂'.repeat(100);
    expect(fromWeb(name)).toEqual({ ok: true, name });
    expect(fromImport(name)).toEqual({ ok: true, name });
    expect(fromWeb(`${name}x`)).toEqual({ ok: false });
    expect(fromImport(`${name}x`)).toEqual({ ok: false });
  });
});

describe('checkSignup', () => {
  it('reports every field at once in the visitor\'s words', () => {
    const r = checkSignup(readSignupForm({ email: '', topics: 'astrology', timezone: '', frequency: 'weekly' }), catalogue);
    expect(r).toMatchObject({
      ok: false,
      errors: {
        email: 'Enter your email address.',
        topics: expect.stringMatching(/does not exist any more/),
        timezone: 'Choose a time zone from the list.',
        weekday: expect.stringMatching(/day of the week/),
      },
    });
  });

  it('normalises a good form: address domain, zone spelling, catalogue order, default choices', () => {
    const r = checkSignup(readSignupForm({ email: 'Ann@Example.COM', name: '', topics: ['world'], timezone: 'europe/london' }), catalogue);
    expect(r).toEqual({ ok: true, signup: { email: 'Ann@example.com', name: null, topics: ['world'], timezone: 'Europe/London', choices: { frequency: 'daily', weekday: null, sendTime: null } } });
  });
});

describe('checkPreferences', () => {
  const values = { topics: ['world'], timezone: 'UTC', frequency: 'weekdays', weekday: '', sendTime: '06:00' };

  it('accepts a valid change', () => {
    expect(checkPreferences(values, catalogue)).toEqual({ ok: true, preferences: { topics: ['world'], timezone: 'UTC', choices: { frequency: 'weekdays', weekday: null, sendTime: '06:00' } } });
  });

  it('refuses an empty topic list rather than reading it as "unsubscribe", keeping a good zone to re-show', () => {
    expect(checkPreferences({ ...values, topics: [], sendTime: '03:00' }, catalogue)).toEqual({
      ok: false,
      errors: { topics: 'Choose at least one topic.', sendTime: expect.stringMatching(/between 05:00 and 22:00/) },
      timezone: 'UTC',
    });
  });
});
