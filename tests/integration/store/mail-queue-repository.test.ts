import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../src/store/store.js';
import { databasePerTest, testDialects } from '../../helpers/dialects.js';
import { tempDir, testConfig } from '../../helpers/env.js';

const T0 = new Date('2026-11-27T08:00:00.000Z');
const later = (s: number) => new Date(T0.getTime() + s * 1000);
const mail = (address: string) => ({ kind: 'confirmation', to: { address, name: 'Ann' }, subject: 'Confirm', html: '<p>c</p>', text: 'c' });

/** The transactional mail queue, straight against the store on each dialect. */
describe.each(testDialects())('mail queue on %s', (dialect) => {
  const database = databasePerTest(dialect);
  let store: Store;
  let cleanup: () => void;
  beforeEach(async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    store = await openStore(testConfig(t.dir, { DATABASE_URL: await database.cleanUrl(t.dir) }).database);
  });
  afterEach(async () => {
    await store.close();
    cleanup();
  });

  it('claims due messages oldest first, once each; records sent, retry, failed and uncertain; reports health', async () => {
    const a = await store.mailQueue.enqueue(mail('ann@example.com'), T0);
    const b = await store.mailQueue.enqueue(mail('bo@example.com'), later(1));
    const c = await store.mailQueue.enqueue(mail('cy@example.com'), later(2));
    expect(await store.mailQueue.health(later(10))).toEqual({ depth: 3, oldestAgeSeconds: 10, uncertain: 0 });

    const [first, second] = await Promise.all([store.mailQueue.claimNext('w1', '<1@x>', 60, later(10)), store.mailQueue.claimNext('w2', '<2@x>', 60, later(10))]);
    expect(new Set([first!.id, second!.id])).toEqual(new Set([a, b]));
    expect(first).toMatchObject({ kind: 'confirmation', to: { name: 'Ann' }, subject: 'Confirm', attempts: 1 });
    const mine = (id: number) => (first!.id === id ? 'w1' : 'w2');

    // Only the claimant records the outcome.
    await store.mailQueue.finish(a, mine(a) === 'w1' ? 'w2' : 'w1', { status: 'sent' }, later(11));
    await store.mailQueue.finish(a, mine(a), { status: 'queued', error: '451 later', retryAt: later(100) }, later(11));
    await store.mailQueue.finish(b, mine(b), { status: 'uncertain', error: 'no reply after DATA' }, later(11));
    expect(await store.mailQueue.health(later(12))).toEqual({ depth: 2, oldestAgeSeconds: 12, uncertain: 1 });

    // Not due yet: c goes first; a comes back after its retry time, attempt 2.
    expect((await store.mailQueue.claimNext('w1', '<3@x>', 60, later(20)))!.id).toBe(c);
    expect(await store.mailQueue.claimNext('w1', '<4@x>', 60, later(20))).toBeUndefined();
    expect(await store.mailQueue.claimNext('w1', '<5@x>', 60, later(100))).toMatchObject({ id: a, attempts: 2 });
    await store.mailQueue.finish(a, 'w1', { status: 'failed', error: '550 no' }, later(101));

    // w1 stops renewing c's lease: it becomes uncertain once the lease is over, never before.
    await store.mailQueue.renew('w1', 60, later(30));
    expect(await store.mailQueue.takeOverDeadOwners('w3', later(80))).toBe(0);
    expect(await store.mailQueue.takeOverDeadOwners('w3', later(91))).toBe(1);
    expect(await store.mailQueue.health(later(200))).toEqual({ depth: 0, oldestAgeSeconds: 0, uncertain: 2 });
    const rows = await store.db.selectFrom('mail_queue').select(['id', 'status', 'error', 'message_id']).orderBy('id').execute();
    expect(rows.map((r) => [r.id, r.status])).toEqual([
      [a, 'failed'],
      [b, 'sending'],
      [c, 'sending'],
    ]);
    expect(rows[2]!.error).toMatch(/^sender w1 stopped renewing its lease mid-send/);
  });
});
