import { describe, expect, it } from 'vitest';
import { checkName, checkTimezone, checkTopics, MAX_NAME_LENGTH, nearestSlug, operatorMessage, readerMessage, type RuleCheck } from '../../../src/subscriptions/rules.js';

const slugs = ['world', 'tech', 'sport'];

function problemOf<T>(check: RuleCheck<T>) {
  if (check.ok) throw new Error(`expected a refusal, got ${JSON.stringify(check.value)}`);
  return check.problem;
}

describe('checkName', () => {
  it('collapses whitespace runs, line breaks included, into one space', () => {
    expect(checkName('  Ann \r\n\t Lee\u2029 ')).toEqual({ ok: true, value: 'Ann Lee' });
  });

  it('keeps "not given" apart from "no name"', () => {
    expect(checkName(undefined)).toEqual({ ok: true, value: undefined });
    expect(checkName(null)).toEqual({ ok: true, value: null });
    expect(checkName('   ')).toEqual({ ok: true, value: null });
  });

  it('refuses other control characters, with wording for each audience', () => {
    const p = problemOf(checkName('Eve\u0000'));
    expect(readerMessage(p)).toBe('Your name contains characters we cannot use.');
    expect(operatorMessage(p)).toBe('name "Eve\\u0000" contains a control character');
  });

  it('refuses bidirectional overrides and isolates, which can make a name read backwards in a list or an inbox', () => {
    // "Eve" followed by RIGHT-TO-LEFT OVERRIDE: the rest of the line renders reversed.
    for (const c of ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069']) {
      const p = problemOf(checkName(`Eve${c}gpj.exe`));
      expect(readerMessage(p)).toBe('Your name contains characters we cannot use.');
      expect(operatorMessage(p)).toBe(`name "Eve\\u${c.charCodeAt(0).toString(16)}gpj.exe" contains a control character`);
    }
    // Joiners belong to real names and emoji, and stay.
    expect(checkName('Zoë 👩\u200D💻')).toEqual({ ok: true, value: 'Zoë 👩\u200D💻' });
    expect(checkName('می\u200Cخواهم')).toEqual({ ok: true, value: 'می\u200Cخواهم' });
  });

  it('counts the limit in code points, after collapsing', () => {
    expect(checkName('🙂'.repeat(MAX_NAME_LENGTH)).ok).toBe(true);
    expect(checkName(`${'a'.repeat(MAX_NAME_LENGTH)}\n\n\n`).ok).toBe(true);
    const p = problemOf(checkName('a'.repeat(MAX_NAME_LENGTH + 1)));
    expect(readerMessage(p)).toMatch(/under 100 characters/);
    expect(operatorMessage(p)).toBe('name is longer than 100 characters');
  });

  it('refuses a name that is not text', () => {
    expect(operatorMessage(problemOf(checkName(5)))).toBe('name must be text');
  });
});

describe('checkTopics', () => {
  it('trims, de-duplicates and returns catalogue order', () => {
    expect(checkTopics([' sport', 'world', 'sport', ''], slugs)).toEqual({ ok: true, value: ['world', 'sport'] });
  });

  it.each([[undefined], [null], [[]], [['', ' ']]])('asks for at least one topic given %j', (value) => {
    const p = problemOf(checkTopics(value, slugs));
    expect(readerMessage(p)).toBe('Choose at least one topic.');
    expect(operatorMessage(p)).toBe('at least one topic is required');
  });

  it('names unknown slugs with a suggestion for the operator, and says "choose again" to a visitor', () => {
    const p = problemOf(checkTopics(['Tech', 'cooking'], slugs));
    expect(operatorMessage(p)).toBe('unknown topics "Tech" (did you mean "tech"?), "cooking"');
    expect(readerMessage(p)).toMatch(/does not exist any more/);
  });

  it('refuses anything but a list of text', () => {
    expect(operatorMessage(problemOf(checkTopics('world', slugs)))).toBe('topics must be a list of topic slugs');
    expect(operatorMessage(problemOf(checkTopics(['world', 3], slugs)))).toBe('topics must be a list of topic slugs');
  });
});

describe('checkTimezone', () => {
  it('returns the canonical spelling', () => {
    expect(checkTimezone('asia/singapore', { required: true })).toEqual({ ok: true, value: 'Asia/Singapore' });
  });

  it('treats empty as an error where a zone is required and as "the default" where not', () => {
    expect(readerMessage(problemOf(checkTimezone('', { required: true })))).toBe('Choose a time zone from the list.');
    expect(checkTimezone(' ', { required: false })).toEqual({ ok: true, value: null });
    expect(checkTimezone(undefined, { required: false })).toEqual({ ok: true, value: undefined });
  });

  it.each(['+08:00', 'Mars/Olympus', 'Europe/London\nX'])('refuses %j', (zone) => {
    expect(operatorMessage(problemOf(checkTimezone(zone, { required: false })))).toMatch(/is not an IANA timezone/);
  });

  it('refuses a zone that is not text', () => {
    expect(operatorMessage(problemOf(checkTimezone(8, { required: false })))).toBe('timezone must be text');
  });
});

describe('nearestSlug', () => {
  it('finds a near miss and nothing for an unrelated word', () => {
    expect(nearestSlug('worlds', slugs)).toBe('world');
    expect(nearestSlug('gardening', slugs)).toBeUndefined();
  });
});
