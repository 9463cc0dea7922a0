import { describe, expect, it } from 'vitest';
import { localMoment, parseClock } from '../../../src/plan/local-time.js';

describe('localMoment', () => {
  const at = new Date('2026-11-27T23:30:00Z');
  it('gives the local date and minutes in the reader\'s zone', () => {
    expect(localMoment(at, 'UTC')).toEqual({ date: '2026-11-27', minutes: 23 * 60 + 30 });
    expect(localMoment(at, 'Asia/Singapore')).toEqual({ date: '2026-11-28', minutes: 7 * 60 + 30 });
    expect(localMoment(at, 'America/New_York')).toEqual({ date: '2026-11-27', minutes: 18 * 60 + 30 });
  });
  it('reads midnight as 0, not 24', () => {
    expect(localMoment(new Date('2026-11-27T00:05:00Z'), 'UTC').minutes).toBe(5);
  });
  it('follows daylight saving', () => {
    expect(localMoment(new Date('2026-07-01T12:00:00Z'), 'Europe/London').minutes).toBe(13 * 60);
    expect(localMoment(new Date('2026-12-01T12:00:00Z'), 'Europe/London').minutes).toBe(12 * 60);
  });
});

describe('parseClock', () => {
  it('parses HH:MM', () => expect(parseClock('07:45')).toBe(465));
});
