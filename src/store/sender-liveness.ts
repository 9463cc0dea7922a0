import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { AppError } from '../errors.js';
import { storeFailure } from './store-errors.js';

/**
 * Whether the process that leased a row is still running. A row's lease alone cannot say so: a
 * lease that has not run out may belong to a process that died a second ago, and one that ran
 * out may belong to a live sender stalled on a slow relay. Where the store can prove liveness
 * (SQLite: a lock the operating system drops when the process dies), it does; otherwise
 * (PostgreSQL) the owner is alive while it renews its leases.
 */
export interface SenderLiveness {
  /** Marks `owner` alive until {@link release} or the process's death. */
  register(owner: string): void;
  /**
   * Marks `owner` gone (its run has ended). With `keepMarker` (it still holds leased rows) the
   * unlocked marker stays, so the next run proves it dead and takes those rows over at once.
   */
  release(owner: string, options?: { keepMarker?: boolean }): void;
  /** `true`/`false` when provable, `undefined` when only the lease can tell. */
  isAlive(owner: string): boolean | undefined;
  /** Removes a dead owner's marker once its rows have been taken over. */
  forget(owner: string): void;
}

/** PostgreSQL (and `:memory:`): no proof available; the owner is gone once its leases run out. */
export const leaseOnlyLiveness: SenderLiveness = {
  register: () => undefined,
  release: () => undefined,
  isAlive: () => undefined,
  forget: () => undefined,
};

/** Owner ids go into file names; anything else (say, a row edited by hand) is not looked up. */
const SAFE_OWNER = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * SQLite: each sender holds an exclusive lock on its own small SQLite file next to the database
 * (`<db>-senders/<owner>.lock`). The OS releases the lock the instant the process dies, even on
 * SIGKILL, so the next run can prove a dead owner dead at once and take its rows over. A live
 * sender's lock cannot be taken, however long its lease has been stalled.
 */
export function sqliteLiveness(databasePath: string): SenderLiveness {
  const dir = `${resolve(databasePath)}-senders`;
  const held = new Map<string, BetterSqlite3.Database>();
  const fileOf = (owner: string) => join(dir, `${owner}.lock`);
  return {
    register(owner) {
      let db: BetterSqlite3.Database | undefined;
      try {
        mkdirSync(dir, { recursive: true });
        db = new BetterSqlite3(fileOf(owner));
        db.exec('create table if not exists alive (pid integer)');
        db.exec('begin exclusive');
        db.prepare('insert into alive values (?)').run(process.pid);
        held.set(owner, db);
      } catch (cause) {
        // A lock file opened but not locked must not stay open (it would outlive the run).
        db?.close();
        // A full or read-only disk is named as such ("disk full"), like every other store failure.
        const known = storeFailure(cause, `sender lock file ${fileOf(owner)}`);
        if (known instanceof AppError) throw known;
        throw new AppError('STORE_FAILED', `cannot create the sender lock file ${fileOf(owner)}`, {
          cause,
          hint: "the folder next to the database must be writable: it is how a crashed sender's deliveries are taken over at once",
        });
      }
    },
    release(owner, options = {}) {
      const db = held.get(owner);
      if (!db) return;
      held.delete(owner);
      db.close();
      if (!options.keepMarker) rmSync(fileOf(owner), { force: true });
    },
    isAlive(owner) {
      if (held.has(owner)) return true;
      if (!SAFE_OWNER.test(owner)) return undefined;
      let probe: BetterSqlite3.Database;
      try {
        probe = new BetterSqlite3(fileOf(owner), { fileMustExist: true, timeout: 0 });
      } catch {
        return undefined; // no marker: an owner from before this existed; its lease decides
      }
      try {
        probe.exec('begin immediate');
        probe.exec('rollback');
        return false;
      } catch {
        return true; // SQLITE_BUSY: the owner's process still holds its lock
      } finally {
        probe.close();
      }
    },
    forget(owner) {
      if (SAFE_OWNER.test(owner) && !held.has(owner)) rmSync(fileOf(owner), { force: true });
    },
  };
}
