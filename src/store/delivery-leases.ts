import type { Db } from './database.js';
import type { SenderLiveness } from './sender-liveness.js';

/** An uncertain delivery: the server may or may not have the message. */
export interface UncertainDelivery {
  id: number;
  email: string;
  localDate: string;
  messageId: string | null;
  reason: string | null;
  owner: string | null;
}

/** What a takeover of dead senders' rows did. */
export interface Takeover {
  /** Planned rows a dead sender had leased, now free to send. */
  freed: number;
  /** Rows a dead sender was sending, now reported uncertain. */
  uncertain: number;
}

/** How an operator settles an uncertain row after checking the relay's log. */
export type Settlement = 'delivered' | 'not-delivered';

/**
 * Who holds which ledger rows, and the uncertain ones. A row is *uncertain* when it is `sending`
 * with no lease: its sender gave up waiting for the server's reply after the final dot, or died
 * mid-send. In-flight rows always carry a lease, renewed by their live sender, so nothing here
 * ever touches a message a live process is sending.
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

  /** The heartbeat: pushes out the lease of every row `owner` holds. Returns how many. */
  async renew(owner: string, leaseSeconds: number, now: Date): Promise<number> {
    const r = await this.db
      .updateTable('deliveries')
      .set({ lease_until: new Date(now.getTime() + leaseSeconds * 1000).toISOString() })
      .where('lease_owner', '=', owner)
      .where('lease_until', 'is not', null)
      .where('status', 'in', ['planned', 'sending'])
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /** Gives back planned rows `owner` leased but never started, so others need not wait out the lease. */
  async releaseUnstarted(owner: string, ids: number[]): Promise<void> {
    for (let i = 0; i < ids.length; i += 500) {
      await this.db
        .updateTable('deliveries')
        .set({ lease_owner: null, lease_until: null })
        .where('id', 'in', ids.slice(i, i + 500))
        .where('lease_owner', '=', owner)
        .where('status', '=', 'planned')
        .execute();
    }
  }

  /** Leaves a row its sender was sending uncertain, with why; returns false if it was not ours. */
  async markUncertain(id: number, owner: string, reason: string): Promise<boolean> {
    const r = await this.db
      .updateTable('deliveries')
      .set({ lease_until: null, error: reason })
      .where('id', '=', id)
      .where('status', '=', 'sending')
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
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

  /** How many rows are uncertain and not yet settled. */
  async countUncertain(): Promise<number> {
    const row = await this.db
      .selectFrom('deliveries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'sending')
      .where('lease_until', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Uncertain rows, oldest first, with who was sending them and why they are in doubt. */
  async listUncertain(limit = 1000, ids?: number[]): Promise<UncertainDelivery[]> {
    let q = this.db
      .selectFrom('deliveries as d')
      .innerJoin('subscribers as s', 's.id', 'd.subscriber_id')
      .select(['d.id', 's.email', 'd.local_date', 'd.message_id', 'd.error', 'd.lease_owner'])
      .where('d.status', '=', 'sending')
      .where('d.lease_until', 'is', null);
    if (ids) q = q.where('d.id', 'in', ids.length > 0 ? ids : [-1]);
    const rows = await q.orderBy('d.id').limit(limit).execute();
    return rows.map((r) => ({ id: r.id, email: r.email, localDate: r.local_date, messageId: r.message_id, reason: r.error, owner: r.lease_owner }));
  }

  /**
   * Settles uncertain rows after the operator checked the relay: `delivered` records them sent,
   * `not-delivered` makes them sendable again. Only uncertain rows change; returns their ids.
   */
  async settle(ids: number[] | 'all-uncertain', outcome: Settlement, now: Date): Promise<number[]> {
    const targets = (await this.listUncertain(1_000_000, ids === 'all-uncertain' ? undefined : ids)).map((r) => r.id);
    const done: number[] = [];
    for (let i = 0; i < targets.length; i += 500) {
      const chunk = targets.slice(i, i + 500);
      const base = this.db.updateTable('deliveries');
      const q =
        outcome === 'delivered'
          ? base.set({ status: 'sent', finished_at: now.toISOString(), error: 'settled by operator: delivered' })
          : base.set({ status: 'planned', lease_owner: null, error: 'settled by operator: not delivered' });
      const rows = await q.where('id', 'in', chunk).where('status', '=', 'sending').where('lease_until', 'is', null).returning('id').execute();
      done.push(...rows.map((r) => Number(r.id)));
    }
    return done;
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
