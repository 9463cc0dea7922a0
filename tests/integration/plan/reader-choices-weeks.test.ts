import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../../src/main.js';
import { silentLogger } from '../../../src/logger.js';
import type { Frequency, Weekday } from '../../../src/model/subscriber.js';
import { localMoment } from '../../../src/plan/local-time.js';
import { sendMomentOn } from '../../../src/preview/send-moment.js';
import { createCaptureMailer, type CaptureMailer } from '../../helpers/capture-mailer.js';
import { tempDir, testConfig } from '../../helpers/env.js';

/**
 * Four simulated weeks of the scheduler ticking every 30 minutes, across Europe's (25 October)
 * and North America's (1 November) DST changes, with stories arriving through every day. Every
 * reader must get exactly the editions their choice implies, at their own hour, each story once.
 */

interface Reader {
  email: string;
  timezone: string;
  frequency: Frequency;
  weekday: Weekday | null;
  sendTime: string | null;
  topics: string[];
}

const READERS: Reader[] = [
  { email: 'daily-london@example.com', timezone: 'Europe/London', frequency: 'daily', weekday: null, sendTime: null, topics: ['world', 'sport'] },
  { email: 'daily-ny-late@example.com', timezone: 'America/New_York', frequency: 'daily', weekday: null, sendTime: '21:30', topics: ['world'] },
  { email: 'daily-kolkata@example.com', timezone: 'Asia/Kolkata', frequency: 'daily', weekday: null, sendTime: '12:30', topics: ['world'] },
  { email: 'weekdays-tokyo@example.com', timezone: 'Asia/Tokyo', frequency: 'weekdays', weekday: null, sendTime: '05:00', topics: ['world'] },
  { email: 'weekdays-berlin@example.com', timezone: 'Europe/Berlin', frequency: 'weekdays', weekday: null, sendTime: '06:30', topics: ['world', 'sport'] },
  { email: 'weekly-london@example.com', timezone: 'Europe/London', frequency: 'weekly', weekday: 'monday', sendTime: '08:00', topics: ['world', 'sport'] },
  { email: 'weekly-la@example.com', timezone: 'America/Los_Angeles', frequency: 'weekly', weekday: 'sunday', sendTime: '22:00', topics: ['world'] },
  { email: 'weekly-utc@example.com', timezone: 'UTC', frequency: 'weekly', weekday: 'friday', sendTime: null, topics: ['sport'] },
  // Same choices as weekly-london: shares its renders.
  { email: 'weekly-london-2@example.com', timezone: 'Europe/London', frequency: 'weekly', weekday: 'monday', sendTime: '08:00', topics: ['world', 'sport'] },
];

const START = Date.parse('2026-10-19T00:00:00Z'); // a Monday
const END = START + 28 * 86_400_000;
const TICK = 30 * 60_000;
const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** The local dates a reader should get an edition on, worked out independently of the planner. */
function expectedDates(r: Reader): string[] {
  const out: string[] = [];
  for (let t = START - 86_400_000; t < END + 86_400_000; t += 86_400_000) {
    const date = new Date(t).toISOString().slice(0, 10);
    const day = DAYS[new Date(t).getUTCDay()];
    if (r.frequency === 'weekdays' && (day === 'saturday' || day === 'sunday')) continue;
    if (r.frequency === 'weekly' && day !== r.weekday) continue;
    const at = sendMomentOn(date, r.sendTime ?? '07:00', r.timezone).getTime();
    // The first tick at or after the send moment must fall inside the simulation.
    if (at >= START && Math.ceil(at / TICK) * TICK < END) out.push(date);
  }
  return out;
}

describe('four weeks of daily, weekdays and weekly readers', () => {
  let app: App;
  let mailer: CaptureMailer;
  let renders = 0;
  const cleanup = tempDir();

  beforeAll(async () => {
    mailer = createCaptureMailer();
    app = await createApp(testConfig(cleanup.dir, { DIGEST_SEND_TIME: '07:00', DIGEST_CATCHUP_HOURS: '2', DIGEST_MAX_PER_TOPIC: '3' }), { logger: silentLogger, mailer });
    const now = new Date(START - 86_400_000).toISOString();
    for (const r of READERS) {
      await app.store.subscribers.upsert(
        { email: r.email, name: null, timezone: r.timezone, topics: r.topics, status: 'active', choices: { frequency: r.frequency, weekday: r.weekday, sendTime: r.sendTime } },
        now,
      );
    }
    let story = 0;
    for (let t = START; t < END; t += TICK) {
      // A story every three hours, alternating topics, with an editor's priority on some.
      if (t % (3 * 3_600_000) === 0) {
        story++;
        const at = new Date(t).toISOString();
        await app.store.articles.upsert(
          { key: `s${story}`, url: `https://news.example/s${story}`, title: `Story ${story}`, summary: null, body: '', image: null, source: null, publishedAt: at, topics: [story % 2 ? 'world' : 'sport'], priority: story % 5 === 0 ? story : null },
          at,
        );
      }
      renders += (await app.runDigest({ now: new Date(t) })).renders;
    }
  }, 300_000);
  afterAll(async () => {
    await app.close();
    cleanup.cleanup();
  });

  const sentRows = async () =>
    app.store.db
      .selectFrom('deliveries as d')
      .innerJoin('subscribers as s', 's.id', 'd.subscriber_id')
      .leftJoin('editions as e', 'e.key', 'd.edition_key')
      .select(['s.email', 'd.local_date', 'd.status', 'd.reason', 'd.window_end', 'd.edition_key', 'e.article_ids', 'e.subject'])
      .orderBy('d.id')
      .execute();

  it('gives each reader exactly the editions their choice implies, at their own local hour', async () => {
    const rows = await sentRows();
    for (const r of READERS) {
      const mine = rows.filter((row) => row.email === r.email && row.status === 'sent');
      expect(mine.map((row) => row.local_date), r.email).toEqual(expectedDates(r));
      expect(mailer.to(r.email)).toHaveLength(mine.length);
      for (const row of mine) {
        // Planned on the first tick at or after the reader's wall-clock send time, DST or not.
        expect(localMoment(new Date(row.window_end), r.timezone), r.email).toEqual({ date: row.local_date, minutes: Number((r.sendTime ?? '07:00').slice(0, 2)) * 60 + Number((r.sendTime ?? '07:00').slice(3)) });
      }
    }
    // Only a send time that had already passed when the simulation began is skipped as late.
    const skipped = rows.filter((row) => row.status === 'skipped' && row.reason !== 'empty');
    expect(skipped.map((row) => [row.email, row.local_date, row.reason])).toEqual([['weekdays-tokyo@example.com', '2026-10-19', 'late']]);
  });

  it('never sends a reader the same story twice, and weekly editions hold the week', async () => {
    const rows = await sentRows();
    for (const r of READERS) {
      const ids = rows.filter((row) => row.email === r.email && row.status === 'sent').flatMap((row) => JSON.parse(row.article_ids!) as number[]);
      expect(new Set(ids).size, r.email).toBe(ids.length);
    }
    const weekly = rows.filter((row) => row.email === 'weekly-utc@example.com' && row.status === 'sent');
    // 28 sport stories a week, capped at DIGEST_MAX_PER_TOPIC_WEEKLY (7), priorities first.
    for (const row of weekly) expect(JSON.parse(row.article_ids!)).toHaveLength(7);
    const daily = rows.filter((row) => row.email === 'daily-kolkata@example.com' && row.status === 'sent');
    for (const row of daily) expect((JSON.parse(row.article_ids!) as number[]).length).toBeLessThanOrEqual(3);
  });

  it('says which edition it is in subject and body', () => {
    const [first] = mailer.to('weekly-london@example.com');
    expect(first?.subject).toMatch(/^Your weekly digest, 12–18 October: /);
    expect(first?.html).toContain('Your weekly digest, 12–18 October');
    expect(first?.html).toContain('Switch to daily');
    expect(mailer.to('weekdays-berlin@example.com')[0]?.subject).toMatch(/^Your weekday digest, Monday 19 October/);
    // A daily subject leads with the top headline (the inbox line people scan); the masthead and
    // preheader name the edition.
    const daily = mailer.to('daily-london@example.com')[0];
    expect(daily?.subject).not.toMatch(/^Your daily digest/);
    expect(daily?.subject.length).toBeLessThan(70);
    expect(daily?.html).toContain('Your daily digest, Monday 19 October');
    expect(mailer.to('daily-london@example.com')[0]?.text).toMatch(/Switch to weekly: https?:\/\/\S+\/preferences\/\S+\/switch\?to=weekly/);
  });

  it('renders each distinct edition once', async () => {
    const rows = await sentRows();
    const distinct = new Set(rows.filter((row) => row.edition_key).map((row) => row.edition_key));
    expect(renders).toBe(distinct.size);
    const london = rows.filter((row) => row.email.startsWith('weekly-london') && row.status === 'sent');
    // The two identical weekly readers share every edition.
    expect(new Set(london.map((row) => row.edition_key)).size).toBe(london.length / 2);
  });
});
