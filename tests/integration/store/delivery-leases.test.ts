import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../src/store/store.js';
import { databasePerTest, testDialects } from '../../helpers/dialects.js';
import { tempDir, testConfig } from '../../helpers/env.js';

const T0 = new Date('2026-11-27T08:00:00.000Z');
const later = (s: number) => new Date(T0.getTime() + s * 1000);

/** Leases, takeover, uncertain rows and settling them, straight against the store on each dialect. */
describe.each(testDialects())('delivery leases on %s', (dialect) => {
  const database = databasePerTest(dialect);
  let store: Store;
  let other: Store | undefined;
  let url: string;
  let dir: string;
  let cleanup: () => void;

  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    url = await database.cleanUrl(dir);
    store = await openStore(testConfig(dir, { DATABASE_URL: url }).database);
    await store.topics.upsert([{ slug: 'world', name: 'World' }], T0.toISOString());
    await store.editions.saveIfAbsent({ key: 'ed-1', localDate: '2026-11-27', topics: ['world'], subject: 'S', html: '<p>h</p>', text: 't', articleIds: [] }, T0.toISOString());
    const rows = [];
    for (const email of ['ann@example.com', 'bo@example.com', 'cy@example.com']) {
      const { id } = await store.subscribers.upsert({ email, name: null, timezone: null, topics: ['world'], status: 'active' }, T0.toISOString());
      rows.push({ subscriberId: id, localDate: '2026-11-27', status: 'planned' as const, editionKey: 'ed-1', windowStart: T0.toISOString(), windowEnd: T0.toISOString(), reason: null });
    }
    await store.plans.insertPlanned(rows, T0.toISOString());
  });
  afterEach(async () => {
    await other?.close();
    other = undefined;
    await store.close();
    cleanup();
  });

  /** `owner` leases all three rows and starts sending the first two. */
  async function twoInFlight(owner: string) {
    const jobs = await store.ledger.claimBatch(owner, 10, 60, T0);
    for (const j of jobs.slice(0, 2)) expect(await store.ledger.claim(j.id, owner, `<${j.id}@x>`, 60, T0)).toBe(true);
    return jobs;
  }

  it('a live owner keeps its rows; once it is gone, its planned rows are freed and its in-flight ones become uncertain', async () => {
    other = await openStore(testConfig(dir, { DATABASE_URL: url }).database); // another process's view
    store.leases.register('w1');
    const jobs = await twoInFlight('w1');
    // Long past the lease, but the owner renews it (the heartbeat).
    expect(await store.ledger.renew('w1', 60, later(50))).toBe(3);
    expect(await other.leases.takeOverDeadOwners('w2', later(100))).toEqual({ freed: 0, uncertain: 0 });
    expect(await other.deliveries.requeueUncertain()).toBe(0);

    // The owner reports one message as handed over with no reply: uncertain, with the reason.
    expect(await store.ledger.markUncertain(jobs[0]!.id, 'w2', 'no reply after DATA')).toBe(false);
    expect(await store.ledger.markUncertain(jobs[0]!.id, 'w1', 'no reply after DATA (ETIMEDOUT): Timeout')).toBe(true);
    expect(await other.deliveries.countUncertain()).toBe(1);

    await store.leases.release('w1'); // its run ends holding rows (as if its process had died)
    // SQLite proves it gone at once; PostgreSQL waits for the lease it stopped renewing.
    const early = await other.leases.takeOverDeadOwners('w2', later(60));
    expect(early).toEqual(dialect === 'sqlite' ? { freed: 1, uncertain: 1 } : { freed: 0, uncertain: 0 });
    if (dialect === 'postgres') expect(await other.leases.takeOverDeadOwners('w2', later(200))).toEqual({ freed: 1, uncertain: 1 });
    const uncertain = await other.deliveries.listUncertain();
    expect(uncertain.map((u) => [u.email, u.owner])).toEqual([
      ['ann@example.com', 'w1'],
      ['bo@example.com', 'w1'],
    ]);
    expect(uncertain[0]!.reason).toMatch(/^no reply after DATA/);
    expect(uncertain[1]!.reason).toMatch(/^sender w1 (died|stopped renewing its lease) mid-send/);
    expect((await other.ledger.claimBatch('w2', 10, 60, later(200))).map((j) => j.email)).toEqual(['cy@example.com']);
  });

  it('settles uncertain rows: delivered records them sent, not-delivered makes them sendable; nothing else changes', async () => {
    const jobs = await twoInFlight('w1');
    for (const j of jobs.slice(0, 2)) await store.ledger.markUncertain(j.id, 'w1', 'no reply after DATA');
    const [ann, bo, cy] = jobs.map((j) => j.id);
    expect(await store.deliveries.settle([ann!, cy!, 999], 'delivered', later(1))).toEqual([ann]);
    expect((await store.deliveries.list({ status: 'sent' }))[0]).toMatchObject({ id: ann, finishedAt: later(1).toISOString(), messageId: `<${ann}@x>` });
    expect(await store.deliveries.settle('all-uncertain', 'not-delivered', later(2))).toEqual([bo]);
    expect(await store.deliveries.countUncertain()).toBe(0);
    expect(await store.deliveries.countByStatus()).toMatchObject({ planned: 2, sending: 0, sent: 1 });
    expect((await store.ledger.claimBatch('w2', 10, 60, later(120))).map((j) => j.id).sort()).toEqual([bo, cy].sort());
  });
});
