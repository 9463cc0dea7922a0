import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { processFeedbackMessage } from '../../../src/feedback/process-message.js';
import type { FeedbackRules } from '../../../src/feedback/record-feedback.js';
import { createVerp } from '../../../src/feedback/verp.js';
import { silentLogger } from '../../../src/logger.js';
import { openStore, type Store } from '../../../src/store/store.js';
import { databasePerTest, testDialects } from '../../helpers/dialects.js';
import { tempDir, testConfig } from '../../helpers/env.js';
import { arf, dsn } from '../../helpers/feedback-reports.js';
import { deliveryFeedback, sentDigests } from '../../helpers/feedback-world.js';

const verp = createVerp('bounces@news.example.com', 'x'.repeat(40));

describe.each(testDialects())('recording bounces and complaints on %s', (dialect) => {
  const database = databasePerTest(dialect);
  let store: Store;
  let cleanup: () => void;
  let rules: FeedbackRules;
  const process = (raw: string) => processFeedbackMessage(store, rules, Buffer.from(raw), 'mail', silentLogger);

  beforeEach(async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    store = await openStore(testConfig(t.dir, { DATABASE_URL: await database.cleanUrl(t.dir) }).database);
    rules = { bounceLimit: 1, softBounceLimit: 3, verp };
  });
  afterEach(async () => {
    await store.close();
    cleanup();
  });

  it('a hard bounce to the VERP address marks that delivery and the reader bounced, once', async () => {
    const w = await sentDigests(store, 'Gone@Example.org', 2);
    const raw = dsn({ to: verp.address(w.deliveryIds[0]!), recipient: 'gone@example.org', status: '5.1.1' });
    const first = await process(raw);
    expect(first).toMatchObject({ kind: 'hard', matchedBy: 'verp', deliveryId: w.deliveryIds[0], action: 'bounced', duplicate: false });
    const row = await deliveryFeedback(store, w.deliveryIds[0]!);
    expect(row.bounced_at).not.toBeNull();
    expect(row.bounce_type).toBe('hard');
    expect(row.feedback).toMatch(/5\.1\.1/);
    expect((await deliveryFeedback(store, w.deliveryIds[1]!)).bounced_at).toBeNull();
    expect((await store.subscribers.findById(w.subscriberId))?.status).toBe('bounced');
    expect(await store.suppressions.get('gone@example.org')).toMatchObject({ reason: 'hard-bounce' });

    const again = await process(raw);
    expect(again.duplicate).toBe(true);
    expect((await store.subscribers.findById(w.subscriberId))?.hardBounces).toBe(1);
    expect((await store.feedback.daily('2020-01-01')).reduce((n, d) => n + d.hardBounces, 0)).toBe(1);
  });

  it('stores and prints no control characters from a report (a terminal escape in the diagnostic)', async () => {
    const w = await sentDigests(store, 'esc@example.org', 1);
    const out = await process(dsn({ to: verp.address(w.deliveryIds[0]!), recipient: 'esc@example.org', diagnostic: 'user unknown \x1b[31mRED\x1b[0m \x07' }));
    expect(out.summary).toContain('RED');
    expect(out.summary).not.toMatch(/\p{Cc}/u);
    expect((await deliveryFeedback(store, w.deliveryIds[0]!)).feedback).not.toMatch(/\p{Cc}/u);
  });

  it('counts hard bounces toward BOUNCE_LIMIT before marking the reader', async () => {
    rules = { ...rules, bounceLimit: 2 };
    const w = await sentDigests(store, 'twice@example.org', 2);
    expect((await process(dsn({ to: verp.address(w.deliveryIds[0]!), recipient: 'twice@example.org' }))).action).toBe('counted');
    expect((await store.subscribers.findById(w.subscriberId))?.status).toBe('active');
    expect(await store.suppressions.get('twice@example.org')).toBeUndefined();
    expect((await process(dsn({ to: verp.address(w.deliveryIds[1]!), recipient: 'twice@example.org' }))).action).toBe('bounced');
    expect((await store.subscribers.findById(w.subscriberId))?.status).toBe('bounced');
  });

  it('with VERP on, a mailed report must prove itself: a forged DSN naming an address, a date or a public edition key bounces nobody', async () => {
    const w = await sentDigests(store, 'victim@example.org', 2);
    const forgedRecipient = await process(dsn({ to: 'bounces@news.example.com', recipient: 'victim@example.org', status: '5.1.1', date: 'Mon, 11 Jan 2026 09:00:00 +0000' }));
    expect(forgedRecipient.matchedBy).toBe('none');
    const tampered = await process(dsn({ to: verp.address(w.deliveryIds[0]!).replace(/-([0-9a-f]{12})@/, '-000000000000@'), recipient: 'victim@example.org', status: '5.1.1' }));
    expect(tampered.matchedBy).toBe('none');
    const publicRef = await process(dsn({ to: 'bounces@news.example.com', recipient: 'victim@example.org', entityRef: `${w.editionKey}.${w.deliveryIds[0]}`, status: '5.1.1' }));
    expect(publicRef.matchedBy).toBe('none');
    expect((await store.subscribers.findById(w.subscriberId))?.status).toBe('active');
    expect(await store.suppressions.get('victim@example.org')).toBeUndefined();
    // The message's own random Message-ID is proof enough when the VERP address was lost.
    const byId = await process(dsn({ to: 'bounces@news.example.com', recipient: 'victim@example.org', messageId: w.messageIds[1], status: '5.1.1' }));
    expect(byId).toMatchObject({ matchedBy: 'message-id', deliveryId: w.deliveryIds[1], action: 'bounced' });
  });

  it('without VERP, matches by the returned Message-ID, then X-Entity-Ref-ID, then recipient and date', async () => {
    rules = { bounceLimit: 1, softBounceLimit: 3, verp: undefined };
    const w = await sentDigests(store, 'm@example.org', 3);
    const byId = await process(dsn({ to: 'bounces@news.example.com', recipient: 'other@relay.example', messageId: w.messageIds[1], status: '4.2.2' }));
    expect(byId).toMatchObject({ matchedBy: 'message-id', deliveryId: w.deliveryIds[1], kind: 'soft' });
    const byRef = await process(dsn({ to: 'bounces@news.example.com', recipient: 'other@relay.example', entityRef: `${w.editionKey}.${w.deliveryIds[0]}`, status: '4.2.2' }));
    expect(byRef).toMatchObject({ matchedBy: 'entity-ref', deliveryId: w.deliveryIds[0] });
    // A guessed delivery number with the wrong edition key does not match.
    const forged = await process(dsn({ to: 'bounces@news.example.com', recipient: 'nobody@relay.example', entityRef: `ed-wrong.${w.deliveryIds[0]}` }));
    expect(forged.matchedBy).toBe('none');
    const byDate = await process(dsn({ to: 'bounces@news.example.com', recipient: 'M@example.org', status: '4.2.2', date: 'Mon, 11 Jan 2026 09:00:00 +0000' }));
    expect(byDate).toMatchObject({ matchedBy: 'recipient-date', deliveryId: w.deliveryIds[1] });
    // With VERP on, a token signed with another secret is not trusted.
    rules = { ...rules, verp };
    const other = createVerp('bounces@news.example.com', 'y'.repeat(40));
    expect((await process(dsn({ to: other.address(w.deliveryIds[2]!), recipient: 'x@relay.example' }))).matchedBy).toBe('none');
  });

  it('a complaint unsubscribes the reader at once and suppresses the address', async () => {
    const w = await sentDigests(store, 'angry@example.com', 1);
    const out = await process(arf({ to: 'fbl@news.example.com', recipient: 'angry@example.com', messageId: w.messageIds[0] }));
    expect(out).toMatchObject({ kind: 'complaint', action: 'unsubscribed', deliveryId: w.deliveryIds[0] });
    expect((await store.subscribers.findById(w.subscriberId))?.status).toBe('unsubscribed');
    expect((await deliveryFeedback(store, w.deliveryIds[0]!)).complained_at).not.toBeNull();
    expect(await store.suppressions.get('ANGRY@example.com')).toMatchObject({ reason: 'complaint' });
    // A later bounce does not weaken a complaint suppression, nor turn "unsubscribed" into "bounced".
    await process(dsn({ to: verp.address(w.deliveryIds[0]!), recipient: 'angry@example.com' }));
    expect(await store.suppressions.get('angry@example.com')).toMatchObject({ reason: 'complaint' });
    expect((await store.subscribers.findById(w.subscriberId))?.status).toBe('unsubscribed');
  });

  it('SOFT_BOUNCE_LIMIT soft bounces on consecutive digests mark the reader bounced; a clean digest in between resets', async () => {
    const w = await sentDigests(store, 'full@example.net', 5);
    const soft = (i: number) => process(dsn({ to: verp.address(w.deliveryIds[i]!), recipient: 'full@example.net', status: '5.2.2' }));
    await soft(0);
    await soft(1);
    // Digest 2 went out without a bounce, so 3 and 4 are only two in a row.
    await soft(3);
    expect((await soft(4)).action).toBe('counted');
    expect((await store.subscribers.findById(w.subscriberId))?.status).toBe('active');
    await soft(2);
    expect((await store.subscribers.findById(w.subscriberId))?.status).toBe('bounced');
    expect(await store.suppressions.get('full@example.net')).toMatchObject({ reason: 'soft-bounce' });
  });

  it('an auto-reply or a reader writing back changes nothing but is remembered', async () => {
    const w = await sentDigests(store, 'away@example.com', 1);
    const raw = `From: away@example.com\r\nTo: ${verp.address(w.deliveryIds[0]!)}\r\nSubject: Out of office\r\nAuto-Submitted: auto-replied\r\nMessage-ID: <ooo-1@example.com>\r\n\r\nAway.\r\n`;
    expect(await process(raw)).toMatchObject({ kind: 'ignored', duplicate: false });
    expect(await process(raw)).toMatchObject({ kind: 'ignored', duplicate: true });
    expect((await store.subscribers.findById(w.subscriberId))?.status).toBe('active');
    expect((await deliveryFeedback(store, w.deliveryIds[0]!)).bounced_at).toBeNull();
  });
});

describe.each(testDialects())('daily figures on %s', (dialect) => {
  const database = databasePerTest(dialect);
  it('count one bounce per message however many reports it got', async () => {
    const t = tempDir();
    const store = await openStore(testConfig(t.dir, { DATABASE_URL: await database.cleanUrl(t.dir) }).database);
    try {
      const w = await sentDigests(store, 'twice@example.org', 2);
      const rules = { bounceLimit: 5, softBounceLimit: 5, verp };
      for (const status of ['4.2.2', '5.1.1', '5.1.1']) {
        await processFeedbackMessage(store, rules, Buffer.from(dsn({ to: verp.address(w.deliveryIds[0]!), recipient: 'twice@example.org', status })), 'mail', silentLogger);
      }
      await processFeedbackMessage(store, rules, Buffer.from(dsn({ to: 'x@y.example', recipient: 'stranger@example.org' })), 'mail', silentLogger);
      const days = await store.feedback.daily('2026-01-01');
      const sent = days.find((d) => d.day === '2026-01-10')!;
      expect(sent).toMatchObject({ sent: 1, hardBounces: 1, softBounces: 1 });
      // The report that matched nothing counts on the day it arrived.
      expect(days.reduce((n, d) => n + d.hardBounces, 0)).toBe(2);
    } finally {
      await store.close();
      t.cleanup();
    }
  });
});
