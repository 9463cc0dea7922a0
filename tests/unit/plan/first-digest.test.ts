import { describe, expect, it } from 'vitest';
import { firstDigestLabel } from '../../../src/plan/first-digest.js';

/** The welcome email says when the first digest comes, by the scheduler's own rule, in the reader's zone. */
describe('firstDigestLabel', () => {
  it('says today before the send time, and tomorrow once the catch-up window has passed', () => {
    // 05:00 in Singapore (UTC+8) is 21:00 UTC the day before.
    expect(firstDigestLabel(new Date('2026-11-29T21:00:00Z'), '07:00', 'Asia/Singapore', 6)).toBe('today at 07:00 Asia/Singapore');
    // 15:00 in Singapore: past 07:00 + 6 h.
    expect(firstDigestLabel(new Date('2026-11-30T07:00:00Z'), '07:00', 'Asia/Singapore', 6)).toBe('tomorrow at 07:00 Asia/Singapore');
  });

  it('says within minutes when the reader is inside today’s catch-up window', () => {
    expect(firstDigestLabel(new Date('2026-11-30T01:30:00Z'), '07:00', 'Asia/Singapore', 6)).toMatch(/^within a few minutes .*07:00 Asia\/Singapore$/);
  });

  it('waits for the reader’s own edition day: weekdays skip the weekend, weekly names its day', () => {
    // Friday 27 November 2026, 15:00 in Singapore.
    const friday = new Date('2026-11-27T07:00:00Z');
    expect(firstDigestLabel(friday, '07:00', 'Asia/Singapore', 6, { frequency: 'weekdays', weekday: null })).toBe('on Monday at 07:00 Asia/Singapore');
    expect(firstDigestLabel(friday, '07:00', 'Asia/Singapore', 6, { frequency: 'weekly', weekday: 'saturday' })).toBe('tomorrow at 07:00 Asia/Singapore');
    expect(firstDigestLabel(friday, '07:00', 'Asia/Singapore', 6, { frequency: 'weekly', weekday: 'wednesday' })).toBe('on Wednesday at 07:00 Asia/Singapore');
    // Before the send time on a day that is not theirs: still their next edition day, not today.
    const fridayDawn = new Date('2026-11-26T21:00:00Z');
    expect(firstDigestLabel(fridayDawn, '07:00', 'Asia/Singapore', 6, { frequency: 'weekly', weekday: 'monday' })).toBe('on Monday at 07:00 Asia/Singapore');
    expect(firstDigestLabel(fridayDawn, '07:00', 'Asia/Singapore', 6, { frequency: 'weekly', weekday: 'friday' })).toBe('today at 07:00 Asia/Singapore');
    // Inside the catch-up window, the later editions are named by the reader's cadence.
    expect(firstDigestLabel(new Date('2026-11-27T01:30:00Z'), '07:00', 'Asia/Singapore', 6, { frequency: 'weekly', weekday: 'friday' })).toMatch(/then each Friday morning at 07:00/);
  });
});
