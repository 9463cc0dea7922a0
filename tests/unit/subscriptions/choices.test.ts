import { describe, expect, it } from 'vitest';
import { checkChoices, describeChoices, parseWeekday, SEND_TIMES } from '../../../src/subscriptions/choices.js';

describe('reader choices', () => {
  it('defaults to daily at the configured time', () => {
    expect(checkChoices({})).toEqual({ ok: true, choices: { frequency: 'daily', weekday: null, sendTime: null } });
    expect(checkChoices({ frequency: '', weekday: '', sendTime: '' })).toMatchObject({ ok: true, choices: { frequency: 'daily' } });
  });

  it('accepts weekly with a day, in any case, and normalises the time', () => {
    expect(checkChoices({ frequency: 'Weekly', weekday: 'TUE', sendTime: '7:30' })).toEqual({ ok: true, choices: { frequency: 'weekly', weekday: 'tuesday', sendTime: '07:30' } });
    expect(checkChoices({ frequency: 'weekdays', weekday: 'friday', sendTime: '22:00' })).toEqual({ ok: true, choices: { frequency: 'weekdays', weekday: null, sendTime: '22:00' } });
  });

  it('offers 05:00 to 22:00 in half hours', () => {
    expect(SEND_TIMES[0]).toBe('05:00');
    expect(SEND_TIMES.at(-1)).toBe('22:00');
    expect(SEND_TIMES).toHaveLength(35);
  });

  it.each([
    [{ frequency: 'hourly' }, 'frequency', /daily, weekdays or weekly \(got "hourly"\)/],
    [{ frequency: 'weekly' }, 'weekday', /day of the week/],
    [{ frequency: 'weekly', weekday: 'someday' }, 'weekday', /got "someday"/],
    [{ sendTime: '04:30' }, 'sendTime', /between 05:00 and 22:00/],
    [{ sendTime: '22:30' }, 'sendTime', /between 05:00 and 22:00/],
    [{ sendTime: '07:15' }, 'sendTime', /half hour/],
    [{ sendTime: '7am' }, 'sendTime', /got "7am"/],
    [{ frequency: 3 }, 'frequency', /daily, weekdays or weekly\.$/],
  ])('refuses %j', (raw, field, message) => {
    const r = checkChoices(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[field as keyof typeof r.errors]).toMatch(message);
  });

  it('reads weekday names and abbreviations only', () => {
    expect(parseWeekday('mon')).toBe('monday');
    expect(parseWeekday('Sunday')).toBe('sunday');
    expect(parseWeekday('mo')).toBeUndefined();
    expect(parseWeekday('mond')).toBeUndefined();
  });

  it('describes choices in words', () => {
    expect(describeChoices({ frequency: 'weekly', weekday: 'monday', sendTime: '08:00' }, '07:00')).toBe('weekly on Monday at 08:00');
    expect(describeChoices({ frequency: 'daily', weekday: null, sendTime: null }, '07:00')).toBe('daily at 07:00');
  });
});
