import { describe, expect, it } from 'vitest';
import { canonicalTimeZone } from '../../../src/subscribers/timezone.js';

describe('canonicalTimeZone', () => {
  it.each([
    ['Asia/Singapore', 'Asia/Singapore'],
    ['asia/singapore', 'Asia/Singapore'],
    [' America/New_York ', 'America/New_York'],
    ['UTC', 'UTC'],
    ['Mars/Olympus', undefined],
    ['+08:00', undefined],
    ['', undefined],
    ['Europe/London\nX', undefined],
  ])('%j → %j', (input, expected) => {
    expect(canonicalTimeZone(input)).toBe(expected);
  });
});
