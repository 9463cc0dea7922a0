import { describe, expect, it } from 'vitest';
import { addDays, cadenceWords, digestName, editionLabel, isEditionDay, weekdayOf } from '../../../src/plan/cadence.js';

describe('cadence', () => {
  it('knows the edition days of each frequency', () => {
    // 2026-11-28 is a Saturday, 2026-11-30 a Monday.
    expect(weekdayOf('2026-11-28')).toBe(6);
    expect(isEditionDay({ frequency: 'daily', weekday: null }, '2026-11-28')).toBe(true);
    expect(isEditionDay({ frequency: 'weekdays', weekday: null }, '2026-11-28')).toBe(false);
    expect(isEditionDay({ frequency: 'weekdays', weekday: null }, '2026-11-30')).toBe(true);
    expect(isEditionDay({ frequency: 'weekly', weekday: 'saturday' }, '2026-11-28')).toBe(true);
    expect(isEditionDay({ frequency: 'weekly', weekday: 'saturday' }, '2026-11-30')).toBe(false);
  });

  it('labels editions in words, across month and year ends', () => {
    // Sent on Monday 30 November: last week's stories.
    expect(editionLabel('weekly', '2026-11-30').text).toBe('Your weekly digest, 23–29 November');
    expect(editionLabel('weekly', '2026-12-04').text).toBe('Your weekly digest, 27 November – 3 December');
    expect(editionLabel('weekly', '2027-01-03')).toMatchObject({ from: '2026-12-27', to: '2027-01-02' });
    expect(editionLabel('weekdays', '2026-11-30').text).toBe('Your weekday digest, Monday 30 November');
    expect(editionLabel('daily', '2026-11-27').text).toBe('Your daily digest, Friday 27 November');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('names the digest of each frequency and when it comes, for the subscription emails', () => {
    expect(digestName('daily')).toBe('daily digest');
    expect(digestName('weekdays')).toBe('weekday digest');
    expect(digestName('weekly')).toBe('weekly digest');
    expect(cadenceWords({ frequency: 'daily', weekday: null })).toBe('each morning');
    expect(cadenceWords({ frequency: 'weekdays', weekday: null })).toBe('each weekday morning');
    expect(cadenceWords({ frequency: 'weekly', weekday: 'friday' })).toBe('each Friday morning');
  });
});
