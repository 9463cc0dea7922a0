import cron from 'node-cron';
import { describe, expect, it } from 'vitest';
import { nextCronTick } from '../../../src/schedule/next-tick.js';

describe('nextCronTick', () => {
  it('is the next matching minute after now, and leaves no task registered', () => {
    const before = cron.getTasks().size;
    const next = nextCronTick('*/5 * * * *')!;
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(5 * 60_000);
    expect(next.getMinutes() % 5).toBe(0);
    expect(next.getSeconds()).toBe(0);
    expect(cron.getTasks().size).toBe(before);
  });

  it('reads a daily expression in the process zone', () => {
    const next = nextCronTick('15 4 * * *')!;
    expect([next.getHours(), next.getMinutes()]).toEqual([4, 15]);
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(86_400_000);
  });
});
