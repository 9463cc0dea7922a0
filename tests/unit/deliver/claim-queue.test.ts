import { describe, expect, it } from 'vitest';
import { ClaimQueue } from '../../../src/deliver/claim-queue.js';
import type { DeliveryJob } from '../../../src/store/delivery-ledger.js';

const job = (id: number): DeliveryJob => ({ id, subscriberId: id, localDate: '2026-11-27', editionKey: 'e', attempts: 0, email: `r${id}@example.com`, name: null, signingKey: 'k', publicId: String(id) });

function batches(...pages: number[][]): { claim: () => Promise<DeliveryJob[]>; calls: () => number } {
  let calls = 0;
  return {
    claim: async () => (pages[calls++] ?? []).map(job),
    calls: () => calls,
  };
}

describe('ClaimQueue', () => {
  it('hands out jobs in order, claiming the next batch only when the queue runs dry, and ends on an empty batch', async () => {
    const b = batches([1, 2], [3]);
    const q = new ClaimQueue(b.claim);
    const ids: number[] = [];
    for (let j = await q.next(() => false); j; j = await q.next(() => false)) ids.push(j.id);
    expect(ids).toEqual([1, 2, 3]);
    expect(b.calls()).toBe(3);
    expect(await q.next(() => false)).toBeUndefined();
    expect(b.calls()).toBe(3); // exhausted: no further claims
  });

  it('runs one claim at a time however many workers wait', async () => {
    const b = batches([1, 2, 3]);
    const q = new ClaimQueue(b.claim);
    const got = await Promise.all([q.next(() => false), q.next(() => false), q.next(() => false)]);
    expect(got.map((j) => j?.id).sort()).toEqual([1, 2, 3]);
    expect(b.calls()).toBe(1);
  });

  it('hands out nothing once the pass stops, and reports the leased jobs never started', async () => {
    const b = batches([1, 2, 3]);
    const q = new ClaimQueue(b.claim);
    expect((await q.next(() => false))?.id).toBe(1);
    expect(await q.next(() => true)).toBeUndefined();
    expect(q.unstarted()).toEqual([2, 3]);
    expect(q.empty).toBe(false);
  });
});
