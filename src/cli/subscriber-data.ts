import { AppError } from '../errors.js';
import type { Subscriber, SubscriberStatus } from '../model/subscriber.js';
import { storedForm } from '../subscribers/email-address.js';
import type { ReaderExport } from '../subscriptions/my-data.js';
import type { CliContext } from './context.js';

/**
 * `subscribers export` and `subscribers erase`: the operator's side of "download my data" and
 * "delete me", built on the same functions as the reader's web page. Loaded only when one of
 * them runs, so `--help` stays fast.
 */

async function findReader(ctx: CliContext, raw: string): Promise<Subscriber> {
  const { subscriptions } = await ctx.app();
  const s = await subscriptions.findByAddress(raw);
  if (!s) {
    throw new AppError('SUBSCRIBER_NOT_FOUND', `no subscriber with the address ${JSON.stringify(storedForm(raw))}`, { hint: 'topic-digest subscribers list shows the stored addresses' });
  }
  return s;
}

const CSV_COLUMNS = ['email', 'name', 'status', 'timezone', 'frequency', 'weekday', 'send_time', 'topics', 'created_at', 'confirmed_at', 'unsubscribed_at', 'consent', 'deliveries', 'bounces'] as const;

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvLine(e: ReaderExport): string {
  const p = e.profile;
  const cells = [p.email, p.name, p.status, p.timezone, e.choices.frequency, e.choices.weekday, e.choices.sendTime, e.topics.join('|'), p.createdAt, p.confirmedAt, p.unsubscribedAt, e.consent, e.deliveries, e.bounces];
  return cells.map(csvCell).join(',');
}

/** Prints the export of one reader (by address) or of every reader (optionally by status). */
export async function exportCommand(ctx: CliContext, email: string | undefined, opts: { json?: boolean; csv?: boolean; status?: SubscriberStatus }): Promise<void> {
  if (opts.json && opts.csv) throw new AppError('USAGE', 'choose one of --json and --csv', { hint: 'JSON is the default' });
  const app = await ctx.app();
  const readers = email !== undefined ? [await findReader(ctx, email)] : await app.subscriptions.list(opts.status ? { status: opts.status } : {});
  const exports: ReaderExport[] = [];
  for (const s of readers) if (!opts.status || s.status === opts.status) exports.push(await app.subscriptions.exportData(s));
  if (opts.csv) {
    ctx.print(CSV_COLUMNS.join(','));
    for (const e of exports) ctx.print(csvLine(e));
    return;
  }
  ctx.print(JSON.stringify(exports, null, 2));
}

/** Erases one reader, as "Delete me" does. */
export async function eraseCommand(ctx: CliContext, email: string): Promise<void> {
  const app = await ctx.app();
  const s = await findReader(ctx, email);
  const hash = await app.subscriptions.erase(s, 'cli:subscribers erase');
  ctx.print(`erased ${s.email} (erasure log: ${hash.slice(0, 16)}…)`);
}
