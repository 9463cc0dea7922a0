import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliPerTest } from '../../helpers/cli-per-test.js';
import { runCliCaptured } from '../../helpers/run-cli.js';
import { fixtureSubscriber as sub, writeSubscribersCsv, writeSubscribersJson } from '../../helpers/subscriber-fixtures.js';

const t = cliPerTest('subscribers');
const cli = t.run;
const list = async () => JSON.parse((await cli('list', '--json')).out.join('\n')) as Array<Record<string, unknown>>;

describe('reader choices from the command line and files', () => {
  it('subscribers add --frequency --weekday --send-time stores them, and refuses bad ones', async () => {
    expect((await cli('add', 'w@example.com', '--topics', 'world', '--frequency', 'weekly', '--weekday', 'Thu', '--send-time', '6:30')).code).toBe(0);
    expect(await list()).toEqual([expect.objectContaining({ email: 'w@example.com', frequency: 'weekly', weekday: 'thursday', sendTime: '06:30' })]);

    const bad = await cli('add', 'x@example.com', '--topics', 'world', '--frequency', 'weekly', '--send-time', '23:00');
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/day of the week/);
    expect(bad.err).toMatch(/between 05:00 and 22:00/);
    expect(bad.err).not.toMatch(/at .*\.ts:\d+/);

    // A preview on a day that is not theirs says so.
    const preview = await runCliCaptured(['preview', '--subscriber', 'w@example.com', '--date', '2026-12-01', '--out', join(t.dir, 'preview')], t.env);
    expect(preview.out.join('\n')).toMatch(/2026-12-01 is not one of w@example\.com's edition days \(weekly on thursday\)/);

    // Updating without choices keeps them.
    expect((await cli('add', 'w@example.com', '--topics', 'sport')).code).toBe(0);
    expect((await list())[0]).toMatchObject({ topics: ['sport'], frequency: 'weekly', weekday: 'thursday' });
  });

  it('imports frequency, weekday and send_time from CSV and JSON, naming the bad row', async () => {
    const csv = writeSubscribersCsv(
      t.dir,
      [sub({ email: 'a@example.com', frequency: 'weekdays', weekday: '', send_time: '05:00' }), sub({ email: 'b@example.com', frequency: '', weekday: '', send_time: '' })],
      { columns: ['email', 'topics', 'frequency', 'weekday', 'send_time'] },
    );
    expect((await cli('import', csv)).code).toBe(0);
    const json = writeSubscribersJson(t.dir, [sub({ email: 'c@example.com', frequency: 'weekly', weekday: 'sunday' })]);
    expect((await cli('import', json)).code).toBe(0);
    const byEmail = Object.fromEntries((await list()).map((r) => [r.email, r]));
    expect(byEmail['a@example.com']).toMatchObject({ frequency: 'weekdays', weekday: null, sendTime: '05:00' });
    expect(byEmail['b@example.com']).toMatchObject({ frequency: 'daily', weekday: null, sendTime: null });
    expect(byEmail['c@example.com']).toMatchObject({ frequency: 'weekly', weekday: 'sunday', sendTime: null });

    const broken = writeSubscribersCsv(t.dir, [sub({ email: 'd@example.com', frequency: 'hourly', send_time: '07:00' })], { columns: ['email', 'topics', 'frequency', 'send_time'] });
    const r = await cli('import', broken);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/line 2: .*got "hourly"/);
  });
});
