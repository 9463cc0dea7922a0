import { AppError } from '../errors.js';
import { emailKey, type SubscriberStatus } from '../model/subscriber.js';
import type { Store } from '../store/store.js';
import { suppressionKey } from '../store/suppression-repository.js';
import { recordConsentEvent } from './consent.js';
import type { RawSubscriberRow } from '../subscribers/subscriber-file.js';
import { validateSubscriberRow, type SubscriberFields } from './subscriber-row.js';

/** How {@link importSubscribers} treats the rows it is given. */
export interface ImportSubscribersOptions {
  /** Status for new readers, and for pending ones: `active` (the operator vouches for consent) or `pending`. */
  status: 'active' | 'pending';
  /** Import the good rows and report the bad ones, instead of importing nothing. */
  skipInvalid: boolean;
  /** ISO time stamped on every row written. */
  now: string;
  /** Names the input in error messages, e.g. the file path. */
  source: string;
  /** Where consent evidence says the readers came from, e.g. 'import:readers.csv'; absent records none. */
  consentSource?: string;
}

/** A row that was not written, and why. */
export interface RowReport {
  row: number;
  label: string;
  email: string | undefined;
  reason: string;
}

/** What an import did. */
export interface ImportSubscribersResult {
  /** Rows read. */
  total: number;
  added: number;
  updated: number;
  /** Rows whose reader had unsubscribed or bounced: left exactly as stored. */
  skipped: RowReport[];
  /** Rows that failed validation; only ever non-empty with `skipInvalid`. */
  invalid: RowReport[];
}

/** Statuses an import must not touch: only the reader (or the mail system) can undo them. */
const FINAL_STATUSES: ReadonlySet<SubscriberStatus> = new Set(['unsubscribed', 'bounced']);

/**
 * Validates rows against the topic catalogue and writes them in one transaction.
 *
 * Status rules for addresses already stored:
 * - unsubscribed or bounced: skipped and reported, nothing changes — an import must never
 *   re-subscribe someone who left or whose mailbox is gone;
 * - active: profile and topics updated, stays active (a `pending` import never demotes);
 * - pending: profile and topics updated, becomes `options.status` (so a plain import confirms).
 *
 * @throws AppError SUBSCRIBER_INVALID listing every bad row (one detail per row) when any row is
 * bad and `skipInvalid` is off; nothing is written then.
 */
export async function importSubscribers(store: Store, rows: readonly RawSubscriberRow[], options: ImportSubscribersOptions): Promise<ImportSubscribersResult> {
  return store.transaction(async (tx) => {
    const catalogue = await tx.topics.slugs();
    const { valid, invalid } = validateRows(rows, catalogue);
    if (invalid.length > 0 && !options.skipInvalid) {
      throw new AppError('SUBSCRIBER_INVALID', `${options.source}: ${invalid.length} of ${rows.length} row(s) are invalid; nothing was imported`, {
        details: invalid.map(describeRow),
        hint: 'rows are CSV line numbers or JSON item numbers (counting from 1); fix them, or re-run with --skip-invalid to import only the good rows',
      });
    }

    const existing = await tx.subscribers.statusesByEmail(valid.map((v) => v.fields.email));
    const suppressed = await tx.suppressions.suppressedAmong(valid.map((v) => v.fields.email));
    const result: ImportSubscribersResult = { total: rows.length, added: 0, updated: 0, skipped: [], invalid };
    for (const { raw, fields } of valid) {
      const found = existing.get(emailKey(fields.email));
      const evidence = async (subscriberId: number) => {
        if (!options.consentSource) return;
        const details = { status: options.status, topics: fields.topics, ...(fields.choices ?? {}) };
        await recordConsentEvent(tx, { subscriberId, action: options.consentSource.startsWith('import:') ? 'import' : 'add', source: options.consentSource, details }, { fullIp: false, now: options.now });
      };
      if (suppressed.has(suppressionKey(fields.email)) && found?.status !== 'active') {
        // A bounced or complaining address comes back only by confirming itself, never by import.
        result.skipped.push({ row: raw.row, label: raw.label, email: fields.email, reason: `${fields.email} is on the suppression list; an import never re-subscribes it` });
      } else if (!found) {
        const { id } = await tx.subscribers.upsert(
          { email: fields.email, name: fields.name ?? null, timezone: fields.timezone ?? null, topics: fields.topics, status: options.status, ...(fields.choices ? { choices: fields.choices } : {}) },
          options.now,
        );
        await evidence(id);
        result.added++;
      } else if (FINAL_STATUSES.has(found.status)) {
        result.skipped.push({ row: raw.row, label: raw.label, email: fields.email, reason: `${fields.email} is ${found.status}; an import never re-subscribes them` });
      } else {
        await tx.subscribers.updateProfile(found.id, { name: fields.name, timezone: fields.timezone }, options.now);
        await tx.subscribers.setTopics(found.id, fields.topics);
        if (fields.choices) await tx.subscribers.setChoices(found.id, fields.choices, options.now);
        const next = found.status === 'active' ? 'active' : options.status;
        // setStatus stamps confirmed_at, so only call it on a real change.
        if (next !== found.status) await tx.subscribers.setStatus(found.id, next, options.now);
        await evidence(found.id);
        result.updated++;
      }
    }
    return result;
  });
}

/** Formats a row report as one line, e.g. `line 4: email "bob" has no @`. */
export function describeRow(r: RowReport): string {
  return `${r.label}: ${r.reason}`;
}

function validateRows(rows: readonly RawSubscriberRow[], catalogue: ReadonlySet<string>) {
  const valid: Array<{ raw: RawSubscriberRow; fields: SubscriberFields }> = [];
  const invalid: RowReport[] = [];
  const firstSeen = new Map<string, string>();
  for (const raw of rows) {
    const check = validateSubscriberRow(raw, catalogue);
    const email = check.ok ? check.value.email : check.email;
    const problems = check.ok ? [] : [...check.problems];
    if (email !== undefined) {
      // Case variants are one mailbox (emailKey), so they count as duplicates too.
      const earlier = firstSeen.get(emailKey(email));
      if (earlier) problems.push(`${email} is a duplicate of ${earlier}`);
      else firstSeen.set(emailKey(email), raw.label);
    }
    if (check.ok && problems.length === 0) valid.push({ raw, fields: check.value });
    else invalid.push({ row: raw.row, label: raw.label, email, reason: problems.join('; ') });
  }
  return { valid, invalid };
}
