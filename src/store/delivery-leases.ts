import type { Db } from './database.js';
import type { SenderLiveness } from './sender-liveness.js';

/** What a takeover of dead senders' rows did. */
export interface Takeover {
  /** Planned rows a dead sender had leased, now free to send. */
  freed: number;
  /** Rows a dead sender was sending, now reported uncertain. */
  uncertain: number;
}

/**
 * Which senders are alive, and taking over the rows of those that are gone. A row is *uncertain*
 * when it is `sending` with no lease: its sender gave up waiting for the server's reply after the
 * final dot, or died mid-send. In-flight rows always carry a lease, renewed by their live sender
 * (see DeliveryLedger.renew), so nothing here ever touches a message a live process is sending.
 * Listing and settling uncertain rows is the operator's (DeliveryQueries).
 */
export class DeliveryLeases {
  constructor(
    private readonly db: Db,
    private readonly liveness: SenderLiveness,
  ) {}

  /** Registers a sender for the length of its run (see {@link SenderLiveness}). */
  register(owner: string): void {
    this.liveness.register(owner);
  }

  /** Ends a sender's run; rows it still leases (none, normally) are taken over by the next run at once. */
  async release(owner: string): Promise<void> {
    // If the store cannot say (it is failing), keep the marker: the next run then takes over at once.
    const leased = await this.db
      .selectFrom('deliveries')
      .select('id')
      .where('lease_owner', '=', owner)
      .where('lease_until', 'is not', null)
      .limit(1)
      .executeTakeFirst()
      .then((row) => row !== undefined)
      .catch(() => true);
    this.liveness.release(owner, { keepMarker: leased });
  }

  /**
   * Takes over the rows of every sender that is gone: their planned rows become free at once and
   * their `sending` rows uncertain. Gone means proven dead (SQLite's lock), or, where liveness
   * cannot be proven (PostgreSQL), a lease its owner stopped renewing.
   */
  async takeOverDeadOwners(self: string, now: Date): Promise<Takeover> {
    const nowIso = now.toISOString();
    const out: Takeover = { freed: 0, uncertain: 0 };
    for (const { owner, proven } of await goneOwners(this.db, 'deliveries', self, this.liveness)) {
      let freeQ = this.db.updateTable('deliveries').set({ lease_owner: null, lease_until: null }).where('lease_owner', '=', owner).where('status', '=', 'planned');
      let doubtQ = this.db
        .updateTable('deliveries')
        .set({ lease_until: null, error: goneReason(owner, proven) })
        .where('lease_owner', '=', owner)
        .where('status', '=', 'sending')
        .where('lease_until', 'is not', null);
      if (!proven) {
        freeQ = freeQ.where('lease_until', '<', nowIso);
        doubtQ = doubtQ.where('lease_until', '<', nowIso);
      }
      out.freed += Number((await freeQ.executeTakeFirst()).numUpdatedRows);
      out.uncertain += Number((await doubtQ.executeTakeFirst()).numUpdatedRows);
      if (proven) this.liveness.forget(owner);
    }
    return out;
  }
}

/**
 * Owners holding leased rows in `table` that may be gone: `proven` when the store proved them
 * dead (SQLite), otherwise only their lapsed leases count as gone (PostgreSQL, or an owner with
 * no liveness marker). Owners proven alive, and `self`, are left out.
 */
export async function goneOwners(db: Db, table: 'deliveries' | 'mail_queue', self: string, liveness: SenderLiveness): Promise<{ owner: string; proven: boolean }[]> {
  const rows = await db.selectFrom(table).select('lease_owner').distinct().where('lease_until', 'is not', null).where('lease_owner', 'is not', null).execute();
  const out: { owner: string; proven: boolean }[] = [];
  for (const { lease_owner: owner } of rows) {
    if (!owner || owner === self) continue;
    const alive = liveness.isAlive(owner);
    if (alive !== true) out.push({ owner, proven: alive === false });
  }
  return out;
}

/** The reason recorded on a row whose sender is gone. */
export function goneReason(owner: string, proven: boolean): string {
  return `sender ${owner} ${proven ? 'died' : 'stopped renewing its lease'} mid-send; whether the server took the message is unknown`;
}
