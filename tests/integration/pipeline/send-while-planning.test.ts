import { beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../../src/main.js';
import type { EditionContent } from '../../../src/model/edition.js';
import { sinkAndAppPerTest } from '../../helpers/digest-app.js';
import { seedWorld } from '../../helpers/digest-world.js';
import { testDialects } from '../../helpers/dialects.js';
import type { SmtpSink } from '../../helpers/smtp-sink.js';

const NOW = new Date('2026-11-27T08:00:00Z');

// Two pages of two readers (planPageSize 2): page 1 follows china, page 2 tech, so page 2 needs
// an edition of its own. Its render is held until a message from page 1 has reached the real
// SMTP server: if sending waited for planning to end, that message could never arrive.
const READERS = [
  { email: 'ann@example.com', topics: ['china'] },
  { email: 'bo@example.com', topics: ['china'] },
  { email: 'cy@example.com', topics: ['tech'] },
  { email: 'di@example.com', topics: ['tech'] },
];

async function seed(app: App): Promise<void> {
  await seedWorld(app, NOW, {
    articles: [
      { title: 'Beijing sets growth target', topics: ['china'], minutesAgo: 90 },
      { title: 'Chipmaker doubles output', topics: ['tech'], minutesAgo: 30 },
    ],
    readers: READERS,
  });
}

/** Makes the app's renderer run `beforeTech` before rendering the tech (second page's) edition. */
function holdTechRender(app: App, beforeTech: () => Promise<void>): void {
  const render = app.renderer.render.bind(app.renderer);
  app.renderer.render = async (content: EditionContent) => {
    if (content.sections.some((s) => s.topic.slug === 'tech')) await beforeTech();
    return render(content);
  };
}

const firstPageArrived = (sink: SmtpSink) => sink.waitFor((m) => m.some((x) => x.to.includes('ann@example.com') || x.to.includes('bo@example.com')), 20_000);

describe.each(testDialects())('sending while later pages are planned, on %s', (dialect) => {
  const world = sinkAndAppPerTest(dialect);
  let sink: SmtpSink;
  let app: App;
  beforeEach(() => ({ sink, app } = world));

  it("sends the first page's readers while the second page's edition is still rendering, and each reader gets exactly one", async () => {
    await seed(app);
    holdTechRender(app, () => firstPageArrived(sink));
    const summary = await app.runDigest({ now: NOW, force: true, planPageSize: 2 });
    expect(summary).toMatchObject({ planned: 4, sent: 4, failed: 0, skipped: 0, uncertain: 0, renders: 2 });
    expect(summary.stoppedBecause).toBeUndefined();
    for (const r of READERS) expect(sink.to(r.email)).toHaveLength(1);
    expect(sink.messages).toHaveLength(4);
    expect(sink.to('cy@example.com')[0]!.parsed.text).toContain('Chipmaker doubles output');
  });

  it('a render failure mid-run stops the send pass cleanly, is thrown, and the next run sends the rest exactly once', async () => {
    await seed(app);
    let failTech = true;
    holdTechRender(app, async () => {
      if (!failTech) return;
      await firstPageArrived(sink);
      throw new Error('renderer crashed');
    });
    await expect(app.runDigest({ now: NOW, force: true, planPageSize: 2 })).rejects.toThrow('renderer crashed');
    // Nothing is left claimed or uncertain: in-flight messages were recorded, unstarted claims given back.
    const sending = await app.store.deliveries.list({ status: 'sending' });
    expect(sending).toEqual([]);
    expect(sink.to('cy@example.com')).toHaveLength(0);

    failTech = false;
    const again = await app.runDigest({ now: NOW, force: true, planPageSize: 2 });
    expect(again).toMatchObject({ failed: 0, uncertain: 0 });
    for (const r of READERS) expect(sink.to(r.email)).toHaveLength(1);
  });

  it('a pause switched on mid-run stops the send pass before the next page is claimed, and planning still finishes', async () => {
    await seed(app);
    holdTechRender(app, async () => {
      await firstPageArrived(sink);
      await app.store.admin.setPaused(true, 'editor@example.com', new Date());
    });
    const summary = await app.runDigest({ now: NOW, force: true, planPageSize: 2 });
    expect(summary).toMatchObject({ planned: 4, paused: true, failed: 0, uncertain: 0 });
    expect(sink.to('cy@example.com')).toHaveLength(0);
    expect(sink.to('di@example.com')).toHaveLength(0);
    const planned = await app.store.deliveries.list({ status: 'planned' });
    expect(planned.map((r) => r.email).sort()).toEqual(expect.arrayContaining(['cy@example.com', 'di@example.com']));
    for (const r of READERS) expect(sink.to(r.email).length).toBeLessThanOrEqual(1);
  });
});
