import { afterEach, describe, expect, it } from 'vitest';
import { localMoment } from '../../../../src/plan/local-time.js';
import { processTimeZone } from '../../../../src/schedule/next-tick.js';
import { adminBrowser, type AdminBrowser } from '../../../helpers/admin-browser.js';
import { seedWorld } from '../../../helpers/digest-world.js';
import { startWebHarness, type WebHarness } from '../../../helpers/web-harness.js';

/**
 * The overview's additions: the next tick, the 30-day chart of sends, bounces, complaints and
 * unsubscribes, and followers by topic, each checked against the tables counted here in plain
 * JavaScript, independently of the console's queries.
 */

const ADMIN = 'editor@example.com';
const DAY = 86_400_000;
let h: WebHarness;
let b: AdminBrowser;
afterEach(async () => {
  await h.close();
});

async function start(env: Record<string, string> = {}): Promise<void> {
  h = await startWebHarness({ ADMIN_EMAILS: ADMIN, ...env });
  b = await adminBrowser(h, ADMIN);
}

/** A sent ledger row for reader `subscriberId`, finished `daysAgo` days before now. */
async function sentRow(subscriberId: number, daysAgo: number, now: Date): Promise<number> {
  const at = new Date(now.getTime() - daysAgo * DAY);
  const localDate = at.toISOString().slice(0, 10);
  const row = await h.app.store.db
    .insertInto('deliveries')
    .values({ subscriber_id: subscriberId, local_date: localDate, status: 'sent', edition_key: 'e', window_start: at.toISOString(), window_end: at.toISOString(), reason: null, planned_at: at.toISOString(), sending_at: at.toISOString(), finished_at: at.toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function report(kind: 'hard' | 'soft' | 'complaint', deliveryId: number | null, receivedAt: Date): Promise<void> {
  await h.app.store.feedback.recordEvent({ fingerprint: `${kind}-${deliveryId}-${receivedAt.getTime()}`, source: 'test', kind, recipient: null, delivery_id: deliveryId, subscriber_id: null, summary: kind, received_at: receivedAt.toISOString() });
}

/** Per UTC day: sends, bounces, complaints and unsubscribes, counted from the raw rows. */
async function expectedDays(now: Date): Promise<Map<string, number[]>> {
  const days = new Map<string, number[]>();
  for (let i = 29; i >= 0; i--) days.set(new Date(now.getTime() - i * DAY).toISOString().slice(0, 10), [0, 0, 0, 0]);
  const bump = (iso: string | null, k: number) => {
    const d = iso && days.get(iso.slice(0, 10));
    if (d) d[k]!++;
  };
  const rows = await h.app.store.db.selectFrom('deliveries').selectAll().execute();
  for (const r of rows) if (r.status === 'sent') bump(r.finished_at, 0);
  for (const e of await h.app.store.db.selectFrom('feedback_events').selectAll().execute()) {
    // Counted on the day the digest went out, or the day the report came when it matched none.
    const day = rows.find((r) => r.id === e.delivery_id)?.finished_at ?? e.received_at;
    if (e.kind === 'hard' || e.kind === 'soft') bump(day, 1);
    if (e.kind === 'complaint') bump(day, 2);
  }
  for (const s of await h.app.store.db.selectFrom('subscribers').selectAll().execute()) bump(s.unsubscribed_at, 3);
  return days;
}

describe('overview', () => {
  it("charts 30 days of sends, bounces, complaints and unsubscribes exactly as the tables hold them, as SVG and as a table", async () => {
    await start();
    const now = new Date();
    const { readerIds } = await seedWorld(h.app, new Date(now.getTime() - 40 * DAY), {
      readers: Array.from({ length: 4 }, (_, i) => ({ email: `r${i}@example.com`, topics: ['world'] })),
    });
    await h.app.store.db.insertInto('editions').values({ key: 'e', local_date: '2026-01-01', topics: 'world', subject: 's', html: 'h', text: 't', article_ids: '[]', created_at: now.toISOString() }).execute();
    const ids: number[] = [];
    for (const [reader, daysAgo] of [[0, 0], [1, 0], [2, 3], [3, 3], [0, 3], [1, 12], [2, 29], [3, 35]] as const) ids.push(await sentRow(readerIds[reader]!, daysAgo, now));
    await report('hard', ids[2]!, now);
    await report('soft', ids[5]!, now);
    await report('complaint', ids[3]!, now);
    await report('complaint', null, new Date(now.getTime() - 2 * DAY));
    await h.app.store.subscribers.setStatus(readerIds[1]!, 'unsubscribed', new Date(now.getTime() - DAY).toISOString());

    const page = (await b.get('/admin')).body;
    const expected = await expectedDays(now);
    const shown = new Map([...page.matchAll(/<tr><th scope="row">(\d{4}-\d{2}-\d{2})<\/th><td>(\d+)<\/td><td>(\d+)<\/td><td>(\d+)<\/td><td>(\d+)<\/td><\/tr>/g)].map((m) => [m[1]!, [m[2], m[3], m[4], m[5]].map(Number)]));
    expect(shown).toEqual(expected);
    // Not a vacuous match: each series has something in it.
    const totals = [0, 1, 2, 3].map((k) => [...expected.values()].reduce((n, d) => n + d[k]!, 0));
    expect(totals).toEqual([7, 2, 2, 1]);
    // A day over the reputation thresholds says so under its row.
    expect(page).toContain('<td colspan="5" class="small">bounce rate 33.33% is over 2%; complaint rate 33.33% is over 0.1%</td>');
    for (const [i, id] of ['sent', 'bounces', 'complaints', 'unsubscribes'].entries()) {
      expect(page).toContain(`<span data-chart-total="${id}">${totals[i]}</span>`);
      const svg = new RegExp(`<svg[^>]*aria-labelledby="chart-${id}-title chart-${id}-desc"[\\s\\S]*?</svg>`).exec(page)![0];
      const bars = [...svg.matchAll(/<title>(\d{4}-\d{2}-\d{2}): (\d+)<\/title>/g)].map((m) => [m[1]!, Number(m[2])]);
      expect(bars).toEqual([...expected].map(([day, v]) => [day, v[i]]));
      expect(svg).toContain(`<desc id="chart-${id}-desc">${totals[i]} in all`);
    }
  });

  it('shows followers per topic now, and who joined and left in 30 days', async () => {
    await start();
    const now = new Date();
    const old = new Date(now.getTime() - 60 * DAY);
    const { readerIds } = await seedWorld(h.app, old, {
      readers: [
        { email: 'a@example.com', topics: ['world', 'tech'] },
        { email: 'b@example.com', topics: ['world'] },
        { email: 'c@example.com', topics: ['tech'] },
        { email: 'p@example.com', topics: ['world'], status: 'pending' },
      ],
    });
    await seedWorld(h.app, now, { readers: [{ email: 'new@example.com', topics: ['world', 'climate'] }] });
    await h.app.store.subscribers.setStatus(readerIds[1]!, 'unsubscribed', now.toISOString());
    await h.app.store.subscribers.setStatus(readerIds[2]!, 'bounced', now.toISOString());

    const page = (await b.get('/admin')).body;
    const row = (slug: string) => {
      const m = new RegExp(`<tr data-topic="${slug}"><th scope="row">[^<]+</th><td>(-?\\d+)</td><td>(\\d+)</td><td>(\\d+)</td><td>([+-]?\\d+)</td></tr>`).exec(page);
      return m?.slice(1);
    };
    expect(row('world')).toEqual(['2', '1', '1', '0']);
    expect(row('tech')).toEqual(['1', '0', '1', '-1']);
    expect(row('climate')).toEqual(['1', '1', '0', '+1']);
    // Every catalogue topic has a row, followed or not.
    const topics = await h.app.store.topics.list();
    expect([...page.matchAll(/<tr data-topic="([^"]+)">/g)].map((m) => m[1])).toEqual(topics.map((t) => t.slug));
  });

  it('shows the next tick of DIGEST_CRON in UTC and in DIGEST_TIMEZONE', async () => {
    await start({ DIGEST_CRON: '30 6 * * *', DIGEST_TIMEZONE: 'Asia/Kolkata' });
    const page = (await b.get('/admin')).body;
    const iso = /data-next-tick="([^"]+)"/.exec(page)![1]!;
    const next = new Date(iso);
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(DAY);
    // The scheduler reads the expression in the process's zone, and so does the overview.
    expect(localMoment(next, processTimeZone()).minutes).toBe(6 * 60 + 30);
    const utc = localMoment(next, 'UTC');
    const ist = localMoment(next, 'Asia/Kolkata');
    const clock = (m: { date: string; minutes: number }) => `${m.date} ${String(Math.floor(m.minutes / 60)).padStart(2, '0')}:${String(m.minutes % 60).padStart(2, '0')}`;
    expect(page).toContain(`${clock(utc)} UTC</time> (${clock(ist)} in Asia/Kolkata)`);
    expect(page).toContain('<code>30 6 * * *</code>');
  });
});
