import { beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../../src/main.js';
import { sinkAndAppPerTest } from '../../helpers/digest-app.js';
import { testDialects } from '../../helpers/dialects.js';
import { seedWorld } from '../../helpers/digest-world.js';
import type { SmtpSink } from '../../helpers/smtp-sink.js';

/**
 * Oversized stories against the email size budget (Gmail clips at ~102 KB), through a whole run
 * to a real SMTP server: the largest stories go first, no empty digest is ever sent, and a story
 * dropped for size comes round in the reader's next digest.
 */

const DAY1 = new Date('2026-11-27T08:00:00Z');
const DAY2 = new Date('2026-11-28T08:00:00Z');

describe.each(testDialects())('the size budget in a digest run, on %s', (dialect) => {
  const world = sinkAndAppPerTest(dialect);
  let sink: SmtpSink;
  let app: App;
  beforeEach(() => ({ sink, app } = world));

  it('a 1 MB title is dropped alone; the other stories are sent', async () => {
    await seedWorld(app, DAY1, {
      articles: [
        { title: `Huge ${'x'.repeat(1_000_000)}`, topics: ['world'], minutesAgo: 90 },
        { title: 'Harbour reopens', topics: ['world'], minutesAgo: 60 },
        { title: 'Chipmaker doubles output', topics: ['tech'], minutesAgo: 30 },
      ],
      readers: [{ email: 'ann@example.com', topics: ['world', 'tech'] }],
    });
    const summary = await app.runDigest({ now: DAY1, force: true });
    expect(summary).toMatchObject({ planned: 1, sent: 1 });
    const text = sink.to('ann@example.com')[0]!.parsed.text!;
    expect(text).toContain('Harbour reopens');
    expect(text).toContain('Chipmaker doubles output');
    expect(text).not.toContain('xxxxxxxxxx');
  });

  it('a digest whose every story is too large is skipped with a reason, never sent empty, and the stories stay', async () => {
    const { articleIds } = await seedWorld(app, DAY1, {
      // Summaries are cut for display, so only a title (refused at import over 300 characters, but
      // possibly already in the store) can still overflow the budget on its own.
      articles: [{ title: `Long read ${'y'.repeat(150_000)}`, topics: ['world'], minutesAgo: 60 }],
      readers: [{ email: 'bo@example.com', topics: ['world'] }],
    });
    const summary = await app.runDigest({ now: DAY1, force: true });
    expect(summary).toMatchObject({ planned: 0, sent: 0, skipped: 1 });
    expect(sink.messages).toHaveLength(0);
    const rows = await app.store.deliveries.list({});
    expect(rows).toEqual([expect.objectContaining({ email: 'bo@example.com', status: 'skipped', reason: expect.stringMatching(/too large/) })]);
    expect(articleIds).toHaveLength(1);
  });

  it('a story dropped for size is offered again in the reader\'s next digest', async () => {
    // Each summary fits alone; all four together do not.
    const big = (n: number) => ({ title: `Feature ${n}`, summary: `${n} `.repeat(15_000), topics: ['world'], minutesAgo: 60 - n });
    await seedWorld(app, DAY1, { articles: [1, 2, 3, 4].map(big), readers: [{ email: 'cy@example.com', topics: ['world'] }] });
    await app.runDigest({ now: DAY1, force: true });
    const first = sink.to('cy@example.com')[0]!.parsed.text!;
    const sentDay1 = [1, 2, 3, 4].filter((n) => first.includes(`Feature ${n}`));
    expect(sentDay1.length).toBeGreaterThan(0);
    expect(sentDay1.length).toBeLessThan(4);

    await app.runDigest({ now: DAY2, force: true });
    const second = sink.to('cy@example.com')[1]?.parsed.text ?? '';
    const sentDay2 = [1, 2, 3, 4].filter((n) => second.includes(`Feature ${n}`));
    // Nothing twice, and the stories dropped on day 1 come round (as many as fit).
    expect(sentDay2.filter((n) => sentDay1.includes(n))).toEqual([]);
    expect(sentDay2.length).toBeGreaterThan(0);
  });
});
