import { beforeEach, describe, expect, it } from 'vitest';
import type { NewArticle } from '../../../src/model/article.js';
import type { SubscriberInput } from '../../../src/model/subscriber.js';
import type { NewDelivery } from '../../../src/store/delivery-plans.js';
import { openStore, type Store } from '../../../src/store/store.js';
import { testDialects } from '../../helpers/dialects.js';
import { testConfig } from '../../helpers/env.js';
import { storePerTest } from '../../helpers/store-per-test.js';

// Every repository method, straight against the store, on each dialect: the rest of the program
// only sees these methods, so equal answers here are what "same behaviour on SQLite and
// PostgreSQL" means.

const T0 = '2026-11-27T08:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

function article(key: string, overrides: Partial<NewArticle> = {}): NewArticle {
  return { key, url: `https://news.example/${key}`, title: `Story ${key}`, summary: null, body: 'Body.', image: null, source: 'Wire', publishedAt: T0, topics: ['world'], ...overrides };
}

function reader(email: string, overrides: Partial<SubscriberInput> = {}): SubscriberInput {
  return { email, name: null, timezone: null, topics: ['world'], status: 'active', ...overrides };
}

function planned(subscriberId: number, localDate: string, overrides: Partial<NewDelivery> = {}): NewDelivery {
  return { subscriberId, localDate, status: 'planned', editionKey: 'ed-1', windowStart: at(-1440), windowEnd: T0, reason: null, ...overrides };
}

describe.each(testDialects())('store repositories on %s', (dialect) => {
  const fresh = storePerTest(dialect);
  let store: Store;
  let url: string;

  beforeEach(async () => {
    store = fresh.store();
    url = fresh.url();
    await store.topics.upsert(
      [
        { slug: 'world', name: 'World', keywords: ['UN'] },
        { slug: 'china', name: 'China' },
        { slug: 'tech', name: 'Tech' },
      ],
      T0,
    );
  });

  /** A reader plus an edition, ready for ledger rows. */
  async function ledgerWorld(emails: string[]): Promise<number[]> {
    await store.editions.saveIfAbsent({ key: 'ed-1', localDate: '2026-11-27', topics: ['world'], subject: 'S', html: '<p>h</p>', text: 't', articleIds: [] }, T0);
    const ids: number[] = [];
    for (const e of emails) ids.push((await store.subscribers.upsert(reader(e), T0)).id);
    return ids;
  }

  describe('topics', () => {
    it('appends new topics in order, updates existing ones in place, and lists by position', async () => {
      expect(await store.topics.upsert([{ slug: 'aardvark', name: 'Aardvark' }, { slug: 'china', name: 'China and HK', keywords: ['Beijing'] }], at(1))).toEqual({ added: 1, updated: 1 });
      const topics = await store.topics.list();
      // Position, not the alphabet, decides the order.
      expect(topics.map((t) => [t.slug, t.position])).toEqual([
        ['world', 0],
        ['china', 1],
        ['tech', 2],
        ['aardvark', 3],
      ]);
      expect(topics[1]).toEqual({ slug: 'china', name: 'China and HK', description: null, keywords: ['Beijing'], position: 1 });
      expect(topics[0]!.keywords).toEqual(['UN']);
      expect(await store.topics.count()).toBe(4);
      expect(typeof (await store.topics.count())).toBe('number');
      expect(await store.topics.slugs()).toEqual(new Set(['world', 'china', 'tech', 'aardvark']));
    });
  });

  describe('articles', () => {
    it('inserts, then updates by key keeping first_seen_at and a published_at the source no longer gives', async () => {
      const first = await store.articles.upsert(article('a', { topics: ['china', 'world', 'china'] }), T0);
      expect(first).toEqual({ id: expect.any(Number), inserted: true, changed: true });
      const again = await store.articles.upsert(article('a', { title: 'Updated', publishedAt: null, topics: ['tech'], image: { url: null, caption: 'Cap', credit: 'Cred' } }), at(60));
      expect(again).toEqual({ id: first.id, inserted: false, changed: true });
      const [stored] = await store.articles.byIds([first.id]);
      expect(stored).toMatchObject({ id: first.id, key: 'a', title: 'Updated', publishedAt: T0, firstSeenAt: T0, topics: ['tech'], image: { url: null, caption: 'Cap', credit: 'Cred' } });
      // The same story again writes nothing (updated_at stays), whatever the clock says.
      const same = await store.articles.upsert(article('a', { title: 'Updated', publishedAt: null, topics: ['tech'], image: { url: null, caption: 'Cap', credit: 'Cred' } }), at(120));
      expect(same).toEqual({ id: first.id, inserted: false, changed: false });
      const row = await store.db.selectFrom('articles').select('updated_at').where('id', '=', first.id).executeTakeFirstOrThrow();
      expect(row.updated_at).toBe(at(60));
      expect(await store.articles.count()).toBe(1);
    });

    it('lists newest published first (ties by newest id) with topics in catalogue order, and filters', async () => {
      const a = (await store.articles.upsert(article('a', { publishedAt: at(-120), topics: ['tech', 'world'] }), at(-100))).id;
      const b = (await store.articles.upsert(article('b', { publishedAt: at(-60), topics: ['china'] }), at(-50))).id;
      const c = (await store.articles.upsert(article('c', { publishedAt: at(-60), topics: [] }), at(-10))).id;
      const d = (await store.articles.upsert(article('d', { publishedAt: at(-5), topics: ['world'] }), at(0))).id;

      const all = await store.articles.list();
      expect(all.map((x) => x.id)).toEqual([d, c, b, a]);
      expect(all.find((x) => x.id === a)!.topics).toEqual(['world', 'tech']);
      expect(all.find((x) => x.id === c)!.topics).toEqual([]);

      expect((await store.articles.list({ topic: 'world' })).map((x) => x.id)).toEqual([d, a]);
      expect((await store.articles.list({ since: at(-60) })).map((x) => x.id)).toEqual([d, c, b]);
      // first_seen_at window is half-open: [from, to).
      expect((await store.articles.list({ firstSeenFrom: at(-50), firstSeenTo: at(0) })).map((x) => x.id)).toEqual([c, b]);
      expect((await store.articles.list({ topic: 'world', firstSeenFrom: at(0) })).map((x) => x.id)).toEqual([d]);
    });

    it('reads by ids, ignoring unknown ones', async () => {
      const a = (await store.articles.upsert(article('a'), T0)).id;
      const b = (await store.articles.upsert(article('b'), T0)).id;
      expect((await store.articles.byIds([b, a, 9999])).map((x) => x.id).sort((x, y) => x - y)).toEqual([a, b]);
      expect(await store.articles.byIds([])).toEqual([]);
    });
  });

  describe('subscribers', () => {
    it('creates a reader with a signing key and updates them in place, keeping id and key', async () => {
      const created = await store.subscribers.upsert(reader('ann@example.com', { name: 'Ann', topics: ['tech', 'world'] }), T0);
      expect(created.inserted).toBe(true);
      const ann = (await store.subscribers.findById(created.id))!;
      expect(ann).toMatchObject({ email: 'ann@example.com', name: 'Ann', status: 'active', topics: ['world', 'tech'], hardBounces: 0, paused: false, createdAt: T0, confirmedAt: T0, unsubscribedAt: null });
      expect(ann.signingKey).toMatch(/^[0-9a-f]{32}$/);

      const updated = await store.subscribers.upsert(reader('ann@example.com', { name: 'Ann B', timezone: 'Asia/Singapore', topics: ['china'] }), at(5));
      expect(updated).toEqual({ id: created.id, inserted: false });
      expect(await store.subscribers.findByEmail('ann@example.com')).toMatchObject({ id: created.id, signingKey: ann.signingKey, name: 'Ann B', timezone: 'Asia/Singapore', topics: ['china'] });
      // One mailbox is one reader: addresses match whatever their case, on both dialects.
      expect(await store.subscribers.findByEmail('ANN@example.com')).toMatchObject({ id: created.id, email: 'ann@example.com' });
      expect(await store.subscribers.count()).toBe(1);
    });

    it('replaces topics, stamps status changes, pauses and counts bounces', async () => {
      const { id } = await store.subscribers.upsert(reader('bo@example.com', { status: 'pending' }), T0);
      expect(await store.subscribers.findById(id)).toMatchObject({ status: 'pending', confirmedAt: null });
      await store.subscribers.setTopics(id, ['tech', 'china', 'tech']);
      expect((await store.subscribers.findById(id))!.topics).toEqual(['china', 'tech']);
      await store.subscribers.setTopics(id, []);
      expect((await store.subscribers.findById(id))!.topics).toEqual([]);

      await store.subscribers.setStatus(id, 'active', at(1));
      expect(await store.subscribers.findById(id)).toMatchObject({ status: 'active', confirmedAt: at(1), unsubscribedAt: null });
      await store.subscribers.setStatus(id, 'unsubscribed', at(2));
      expect(await store.subscribers.findById(id)).toMatchObject({ status: 'unsubscribed', confirmedAt: at(1), unsubscribedAt: at(2) });

      await store.subscribers.updateProfile(id, { paused: true, name: 'Bo' }, at(3));
      expect(await store.subscribers.findById(id)).toMatchObject({ paused: true, name: 'Bo', timezone: null });
      await store.subscribers.updateProfile(id, { paused: false }, at(4));
      expect((await store.subscribers.findById(id))!.paused).toBe(false);

      expect(await store.subscribers.recordHardBounce(id, at(5))).toBe(1);
      expect(await store.subscribers.recordHardBounce(id, at(6))).toBe(2);
      expect((await store.subscribers.findById(id))!.hardBounces).toBe(2);
    });

    it('lists by id with a status filter, looks statuses up in bulk, and pages active unpaused readers', async () => {
      const ids: number[] = [];
      for (const [i, status] of (['active', 'pending', 'active', 'active', 'bounced', 'active'] as const).entries()) {
        ids.push((await store.subscribers.upsert(reader(`r${i}@example.com`, { status }), T0)).id);
      }
      await store.subscribers.updateProfile(ids[3]!, { paused: true }, T0);

      expect((await store.subscribers.list()).map((s) => s.id)).toEqual(ids);
      expect((await store.subscribers.list({ status: 'active' })).map((s) => s.email)).toEqual(['r0@example.com', 'r2@example.com', 'r3@example.com', 'r5@example.com']);

      const statuses = await store.subscribers.statusesByEmail(['r1@example.com', 'r4@example.com', 'nobody@example.com', 'r1@example.com']);
      expect(statuses).toEqual(new Map([['r1@example.com', { id: ids[1], status: 'pending' }], ['r4@example.com', { id: ids[4], status: 'bounced' }]]));

      const page1 = await store.subscribers.pageActive(0, 2);
      expect(page1.map((s) => s.id)).toEqual([ids[0], ids[2]]);
      const page2 = await store.subscribers.pageActive(page1.at(-1)!.id, 2);
      expect(page2.map((s) => s.id)).toEqual([ids[5]]);
      expect(await store.subscribers.pageActive(ids[5]!, 2)).toEqual([]);
    });

    it('removes a reader and, by cascade, their topics, ledger rows and so what they were sent', async () => {
      const [ann, bo] = await ledgerWorld(['ann@example.com', 'bo@example.com']);
      const art = (await store.articles.upsert(article('a'), T0)).id;
      await store.plans.insertPlanned([planned(ann!, '2026-11-27'), planned(bo!, '2026-11-27')], T0);
      const [job] = await store.ledger.claimBatch('w', 1, 60, new Date(T0));
      expect(job!.subscriberId).toBe(ann);
      expect(await store.ledger.claim(job!.id, 'w', '<m@x>', 60, new Date(T0))).toBe(true);
      expect(await store.ledger.markSent(job!.id, 'w', '<m@x>', T0)).toBe(true);

      expect(await store.subscribers.remove('ann@example.com')).toBe(true);
      expect(await store.subscribers.remove('ann@example.com')).toBe(false);
      expect(await store.subscribers.findByEmail('ann@example.com')).toBeUndefined();
      expect((await store.deliveries.list()).map((d) => d.email)).toEqual(['bo@example.com']);
      expect(await store.plans.sentArticles([ann!], [art], at(-10_000))).toEqual(new Map());
      const links = await store.db.selectFrom('subscriber_topics').select('subscriber_id').execute();
      expect(links.map((l) => l.subscriber_id)).toEqual([bo]);
      // The article stays: other readers may still get it.
      expect(await store.articles.count()).toBe(1);
    });
  });

  describe('settings', () => {
    it('keeps the first value getOrInit stored', async () => {
      expect(await store.settings.get('secret_key')).toBeUndefined();
      expect(await store.settings.getOrInit('secret_key', () => 'first')).toBe('first');
      expect(await store.settings.getOrInit('secret_key', () => 'second')).toBe('first');
      expect(await store.settings.get('secret_key')).toBe('first');
    });
  });

  describe('editions', () => {
    it('stores an edition once per key and reads it back', async () => {
      const edition = { key: 'k1', localDate: '2026-11-27', topics: ['world', 'tech'], subject: 'Your digest', html: '<p>%%td:name%%</p>', text: 'Hi %%td:name%%', articleIds: [3, 1, 2] };
      expect(await store.editions.exists('k1')).toBe(false);
      await store.editions.saveIfAbsent(edition, T0);
      await store.editions.saveIfAbsent({ ...edition, subject: 'Changed' }, at(1));
      expect(await store.editions.exists('k1')).toBe(true);
      expect(await store.editions.get('k1')).toEqual({ ...edition, createdAt: T0 });
      expect(await store.editions.get('nope')).toBeUndefined();
    });

    it('lists only editions that reached a reader, newest first, with a stable order for ties', async () => {
      const [ann] = await ledgerWorld(['ann@example.com']);
      const base = { topics: ['world'], html: 'h', text: 't', articleIds: [] };
      // Three editions saved at the same moment on the same day: only the key can order them.
      for (const key of ['b', 'c', 'a']) await store.editions.saveIfAbsent({ ...base, key, localDate: '2026-11-27', subject: key }, T0);
      await store.editions.saveIfAbsent({ ...base, key: 'older', localDate: '2026-11-26', subject: 'older' }, T0);
      await store.editions.saveIfAbsent({ ...base, key: 'unsent', localDate: '2026-11-28', subject: 'unsent' }, T0);
      const days = ['2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23'];
      const keys = ['a', 'b', 'c', 'older'];
      await store.plans.insertPlanned(keys.map((k, i) => planned(ann!, days[i]!, { editionKey: k })), T0);
      await store.plans.insertPlanned([planned(ann!, '2026-11-24', { editionKey: 'unsent' })], T0);
      const jobs = await store.ledger.claimBatch('w', 10, 60, new Date(T0));
      for (const j of jobs.filter((x) => x.editionKey !== 'unsent')) {
        await store.ledger.claim(j.id, 'w', `<${j.id}@x>`, 60, new Date(T0));
        await store.ledger.markSent(j.id, 'w', `<${j.id}@x>`, T0);
      }
      expect(await store.editions.wasSent('a')).toBe(true);
      expect(await store.editions.wasSent('unsent')).toBe(false);

      const listed = await store.editions.listSent();
      expect(listed.map((e) => e.key)).toEqual(['a', 'b', 'c', 'older']);
      expect(listed[0]).toEqual({ key: 'a', localDate: '2026-11-27', topics: ['world'], subject: 'a' });
      // Paging walks the same order: no edition twice, none left out.
      const paged = [...(await store.editions.listSent(2, 0)), ...(await store.editions.listSent(2, 2))];
      expect(paged.map((e) => e.key)).toEqual(['a', 'b', 'c', 'older']);
    });
  });

  describe('deliveries', () => {
    it('inserts one row per reader and day: a second plan of the same day is a no-op', async () => {
      const [ann, bo] = await ledgerWorld(['ann@example.com', 'bo@example.com']);
      expect(await store.plans.insertPlanned([planned(ann!, '2026-11-27'), planned(bo!, '2026-11-27', { status: 'skipped', editionKey: null, reason: 'empty' })], T0)).toBe(2);
      expect(await store.plans.insertPlanned([planned(ann!, '2026-11-27'), planned(ann!, '2026-11-28')], T0)).toBe(1);
      expect(await store.plans.insertPlanned([], T0)).toBe(0);
      expect(await store.plans.existingFor([{ subscriberId: ann!, localDate: '2026-11-28' }, { subscriberId: bo!, localDate: '2026-11-28' }])).toEqual(new Set([`${ann}|2026-11-28`]));
      expect(await store.plans.existingFor([{ subscriberId: bo!, localDate: '2026-11-27' }])).toEqual(new Set([`${bo}|2026-11-27`]));
      const rows = await store.deliveries.list();
      expect(rows.map((r) => [r.email, r.localDate, r.status, r.reason])).toEqual([
        ['ann@example.com', '2026-11-28', 'planned', null],
        ['bo@example.com', '2026-11-27', 'skipped', 'empty'],
        ['ann@example.com', '2026-11-27', 'planned', null],
      ]);
      expect(rows[1]!.finishedAt).toBe(T0);
      expect(await store.deliveries.list({ localDate: '2026-11-28', status: 'planned' })).toHaveLength(1);
      expect(await store.deliveries.countByStatus()).toEqual({ planned: 2, sending: 0, sent: 0, failed: 0, skipped: 1 });
    });

    it('hands two owners claiming at once disjoint batches that together cover every row', async () => {
      const readers = await ledgerWorld(Array.from({ length: 30 }, (_, i) => `r${i}@example.com`));
      await store.plans.insertPlanned(readers.map((id) => planned(id, '2026-11-27')), T0);
      // A second store is a second connection pool: on PostgreSQL the claims really overlap in time.
      const other = await openStore(testConfig('', { DATABASE_URL: url }).database);
      try {
        const seen: Record<string, number[]> = { a: [], b: [] };
        for (let round = 0; round < 10; round++) {
          const [a, b] = await Promise.all([store.ledger.claimBatch('a', 4, 60, new Date(T0)), other.ledger.claimBatch('b', 4, 60, new Date(T0))]);
          seen.a!.push(...a.map((j) => j.id));
          seen.b!.push(...b.map((j) => j.id));
          if (a.length === 0 && b.length === 0) break;
        }
        const all = [...seen.a!, ...seen.b!];
        expect(new Set(all).size).toBe(all.length);
        expect(all).toHaveLength(30);
        // Leased rows stay out of the pool until their lease runs out.
        expect(await store.ledger.claimBatch('c', 100, 60, new Date(at(0.5)))).toEqual([]);
        expect(await store.ledger.claimBatch('c', 100, 60, new Date(at(2)))).toHaveLength(30);
      } finally {
        await other.close();
      }
    });

    it('claims only planned rows with an edition, of active unpaused readers, optionally one address, oldest first', async () => {
      const [ann, bo, cy, di] = await ledgerWorld(['ann@example.com', 'bo@example.com', 'cy@example.com', 'di@example.com']);
      await store.plans.insertPlanned(
        [planned(ann!, '2026-11-27'), planned(bo!, '2026-11-27'), planned(cy!, '2026-11-27', { status: 'skipped', editionKey: null, reason: 'empty' }), planned(di!, '2026-11-27')],
        T0,
      );
      await store.subscribers.setStatus(bo!, 'unsubscribed', T0);
      await store.subscribers.updateProfile(di!, { paused: true }, T0);
      expect((await store.ledger.claimBatch('w', 10, 60, new Date(T0), 'cy@example.com'))).toEqual([]);
      const [job, ...rest] = await store.ledger.claimBatch('w', 10, 60, new Date(T0));
      expect(rest).toEqual([]);
      expect(job).toEqual({ id: expect.any(Number), subscriberId: ann, localDate: '2026-11-27', editionKey: 'ed-1', attempts: 0, email: 'ann@example.com', name: null, signingKey: expect.any(String), publicId: expect.stringMatching(/^[0-9a-f]{20}$/) });

      // Readers who left are skipped, not sent.
      expect(await store.ledger.skipUndeliverable(T0)).toBe(2);
      expect((await store.deliveries.list({ status: 'skipped' })).map((r) => [r.email, r.reason])).toEqual([
        ['di@example.com', 'reader inactive'],
        ['cy@example.com', 'empty'],
        ['bo@example.com', 'reader inactive'],
      ]);
    });

    it('claim and markSent check the owner; release keeps the lease; markFailed records the error', async () => {
      const [ann, bo] = await ledgerWorld(['ann@example.com', 'bo@example.com']);
      const a1 = (await store.articles.upsert(article('a1'), T0)).id;
      const a2 = (await store.articles.upsert(article('a2'), T0)).id;
      // What a reader was sent is what the edition of their sent delivery held.
      await store.editions.saveIfAbsent({ key: 'ed-a', localDate: '2026-11-27', topics: ['world'], subject: 'S', html: 'h', text: 't', articleIds: [a1, a2] }, T0);
      await store.plans.insertPlanned([planned(ann!, '2026-11-27', { editionKey: 'ed-a' }), planned(bo!, '2026-11-27', { editionKey: 'ed-a' })], T0);
      const [annJob, boJob] = await store.ledger.claimBatch('w1', 10, 60, new Date(T0));

      expect(await store.ledger.claim(annJob!.id, 'w2', '<x@y>', 60, new Date(T0))).toBe(false);
      expect(await store.ledger.claim(annJob!.id, 'w1', '<m1@y>', 60, new Date(T0))).toBe(true);
      expect(await store.ledger.claim(annJob!.id, 'w1', '<m1@y>', 60, new Date(T0))).toBe(false);
      expect(await store.ledger.markSent(annJob!.id, 'w2', '<m1@y>', at(1))).toBe(false);
      expect(await store.ledger.markSent(annJob!.id, 'w1', '<m1@y>', at(1))).toBe(true);
      expect((await store.deliveries.list({ status: 'sent' }))[0]).toMatchObject({ email: 'ann@example.com', messageId: '<m1@y>', attempts: 1, finishedAt: at(1), error: null });
      expect(await store.plans.sentArticles([ann!, bo!], [a1, a2, 999], at(-10_000))).toEqual(new Map([[ann!, new Set([a1, a2])]]));
      // Digests whose window ended before `since` cannot hold newer articles and are not read.
      expect(await store.plans.sentArticles([ann!], [a1, a2], at(1))).toEqual(new Map());
      expect(await store.plans.lastSentWindowEnd([ann!, bo!])).toEqual(new Map([[ann!, T0]]));

      expect(await store.ledger.claim(boJob!.id, 'w1', '<m2@y>', 60, new Date(T0))).toBe(true);
      await store.ledger.release(boJob!.id, '451 try later');
      expect((await store.deliveries.list({ status: 'planned' }))[0]).toMatchObject({ email: 'bo@example.com', error: '451 try later', attempts: 1 });
      // Still leased to w1: nobody else picks it up mid-run, w1 may claim it again.
      expect(await store.ledger.claimBatch('w2', 10, 60, new Date(at(0.5)))).toEqual([]);
      expect(await store.ledger.claim(boJob!.id, 'w1', '<m3@y>', 60, new Date(at(0.5)))).toBe(true);
      await store.ledger.markFailed(boJob!.id, '550 no such user', at(1));
      expect((await store.deliveries.list({ status: 'failed' }))[0]).toMatchObject({ email: 'bo@example.com', error: '550 no such user', attempts: 2, finishedAt: at(1) });
      expect(await store.deliveries.countByStatus()).toEqual({ planned: 0, sending: 0, sent: 1, failed: 1, skipped: 0 });
      for (const n of Object.values(await store.deliveries.countByStatus())) expect(typeof n).toBe('number');
    });

    it('reports rows stuck in sending once their lease ran out, and requeues them only when asked', async () => {
      const [ann, bo] = await ledgerWorld(['ann@example.com', 'bo@example.com']);
      await store.plans.insertPlanned([planned(ann!, '2026-11-27'), planned(bo!, '2026-11-27')], T0);
      for (const j of await store.ledger.claimBatch('dead', 10, 60, new Date(T0))) {
        expect(await store.ledger.claim(j.id, 'dead', `<${j.id}@y>`, 60, new Date(T0))).toBe(true);
      }
      // Owner 'dead' left no liveness marker, so its lease decides: not before it runs out.
      expect(await store.leases.takeOverDeadOwners('me', new Date(at(0.5)))).toEqual({ freed: 0, uncertain: 0 });
      expect(await store.deliveries.list({ uncertainOnly: true })).toEqual([]);
      expect(await store.deliveries.requeueUncertain()).toBe(0);
      expect(await store.leases.takeOverDeadOwners('me', new Date(at(2)))).toEqual({ freed: 0, uncertain: 2 });
      expect((await store.deliveries.list({ uncertainOnly: true })).map((r) => r.email)).toEqual(['bo@example.com', 'ann@example.com']);
      expect((await store.deliveries.list({ uncertainOnly: true }))[0]!.error).toMatch(/sender dead stopped renewing its lease mid-send/);
      // A sending row counts as possibly delivered: its window is not offered again.
      expect(await store.plans.lastSentWindowEnd([ann!])).toEqual(new Map([[ann!, T0]]));

      expect(await store.deliveries.requeueUncertain('bo@example.com')).toBe(1);
      expect((await store.deliveries.list({ status: 'planned' })).map((r) => [r.email, r.error])).toEqual([['bo@example.com', 'requeued by operator after uncertain send']]);
      expect(await store.deliveries.requeueUncertain()).toBe(1);
      expect(await store.deliveries.countByStatus()).toMatchObject({ planned: 2, sending: 0 });
      expect((await store.ledger.claimBatch('next', 10, 60, new Date(at(2)))).map((j) => j.attempts)).toEqual([1, 1]);
    });

    it('supersedes older planned days with a newer one and remembers where the missed window began', async () => {
      const [ann, bo] = await ledgerWorld(['ann@example.com', 'bo@example.com']);
      await store.plans.insertPlanned(
        [planned(ann!, '2026-11-25', { windowStart: at(-3000) }), planned(ann!, '2026-11-26', { windowStart: at(-2000) }), planned(bo!, '2026-11-26', { windowStart: at(-1000) })],
        T0,
      );
      expect(await store.plans.oldestPlannedWindowStart([ann!, bo!])).toEqual(new Map([[ann!, at(-3000)], [bo!, at(-1000)]]));
      expect(await store.plans.supersedeOlderPlanned([{ subscriberId: ann!, localDate: '2026-11-27' }, { subscriberId: bo!, localDate: '2026-11-26' }], at(1))).toBe(2);
      expect((await store.deliveries.list()).map((r) => [r.email, r.localDate, r.status, r.reason])).toEqual([
        ['bo@example.com', '2026-11-26', 'planned', null],
        ['ann@example.com', '2026-11-26', 'skipped', 'superseded'],
        ['ann@example.com', '2026-11-25', 'skipped', 'superseded'],
      ]);
      expect(await store.plans.oldestPlannedWindowStart([ann!])).toEqual(new Map());
    });
  });

  describe('locks', () => {
    it('lets one owner hold a lease until it expires or is released', async () => {
      const t = new Date(T0);
      expect(await store.locks.tryAcquire('job', 'a', 60, t)).toBe(true);
      expect(await store.locks.tryAcquire('job', 'b', 60, t)).toBe(false);
      expect(await store.locks.tryAcquire('job', 'b', 60, new Date(at(2)))).toBe(true);
      await store.locks.release('job', 'b');
      expect(await store.locks.tryAcquire('job', 'a', 60, new Date(at(2)))).toBe(true);
    });

    it('runs a job under an exclusive lock that a second store cannot take until the job ends', async () => {
      const other = await openStore(testConfig('', { DATABASE_URL: url }).database);
      try {
        const outer = await store.locks.withLock('planner', 'a', 60, async (lost) => {
          expect(lost.aborted).toBe(false);
          expect(await other.locks.withLock('planner', 'b', 60, async () => 'ran')).toEqual({ held: false });
          return 'done';
        });
        expect(outer).toEqual({ held: true, value: 'done' });
        expect(await other.locks.withLock('planner', 'b', 60, async () => 'ran')).toEqual({ held: true, value: 'ran' });
        // A job that throws still gives the lock up.
        await expect(store.locks.withLock('planner', 'a', 60, async () => Promise.reject(new Error('job failed')))).rejects.toThrow('job failed');
        expect(await other.locks.withLock('planner', 'b', 60, async () => 'again')).toEqual({ held: true, value: 'again' });
      } finally {
        await other.close();
      }
    });
  });

  describe('rate limits', () => {
    it('hands out consecutive slots, and a slot never lies in the past', async () => {
      const t = Date.parse(T0);
      expect(await store.rateLimits.reserve('smtp', 100, t)).toBe(t);
      expect(await store.rateLimits.reserve('smtp', 100, t)).toBe(t + 100);
      expect(await store.rateLimits.reserve('smtp', 100, t + 10)).toBe(t + 200);
      // After a quiet spell the next slot is now, not the stale one.
      expect(await store.rateLimits.reserve('smtp', 100, t + 60_000)).toBe(t + 60_000);
      expect(await store.rateLimits.reserve('other', 100, t)).toBe(t);
    });

    it('gives concurrent callers distinct slots', async () => {
      const t = Date.parse(T0);
      const slots = await Promise.all(Array.from({ length: 8 }, () => store.rateLimits.reserve('smtp', 50, t)));
      expect([...slots].sort((a, b) => a - b)).toEqual(Array.from({ length: 8 }, (_, i) => t + i * 50));
    });
  });

  describe('transactions', () => {
    it('commits everything together, or rolls everything back when the callback throws', async () => {
      await store.transaction(async (tx) => {
        await tx.subscribers.upsert(reader('in@example.com'), T0);
        // The transaction sees its own writes.
        expect(await tx.subscribers.count()).toBe(1);
      });
      const err = await store
        .transaction(async (tx) => {
          await tx.subscribers.upsert(reader('lost@example.com'), T0);
          await tx.articles.upsert(article('lost'), T0);
          throw new Error('boom');
        })
        .catch((e: unknown) => e);
      expect((err as Error).message).toBe('boom');
      expect((await store.subscribers.list()).map((s) => s.email)).toEqual(['in@example.com']);
      expect(await store.articles.count()).toBe(0);
    });

    it('run one at a time, so a check made inside one holds until it commits (a double-clicked confirm activates once)', async () => {
      const { id } = await store.subscribers.upsert(reader('dbl@example.com', { status: 'pending' }), T0);
      // The confirm route's pattern: read, decide, write, all in one transaction.
      const confirm = () =>
        store.transaction(async (tx) => {
          if ((await tx.subscribers.findById(id))?.status !== 'pending') return false;
          await tx.subscribers.setStatus(id, 'active', T0);
          return true;
        });
      // Open the connections first (PostgreSQL), so the transactions really overlap.
      await Promise.all(Array.from({ length: 5 }, () => store.subscribers.count()));
      const outcomes = await Promise.all(Array.from({ length: 5 }, confirm));
      expect(outcomes.filter(Boolean)).toHaveLength(1);
    });

    it('rolls back a statement the database refuses, leaving the store usable', async () => {
      const err = await store
        .transaction(async (tx) => {
          await tx.subscribers.upsert(reader('ok@example.com'), T0);
          await tx.subscribers.setTopics(1_000_000, ['world']); // no such reader: foreign key
        })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect(await store.subscribers.count()).toBe(0);
      expect((await store.subscribers.upsert(reader('ok@example.com'), T0)).inserted).toBe(true);
    });
  });
});
