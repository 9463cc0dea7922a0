import { Option, type Command } from 'commander';
import { AppError } from '../errors.js';
import type { SubscriberStatus } from '../model/subscriber.js';
import { checkEmailAddress } from '../subscribers/email-address.js';
import type { CliContext } from './context.js';
import { lazyModule } from './lazy.js';

const loadAdding = lazyModule(() => import('../subscribers/add-subscriber.js'));
const loadImporting = lazyModule(() => Promise.all([import('../subscribers/import-subscribers.js'), import('../subscribers/subscriber-file.js')]));

const STATUSES: SubscriberStatus[] = ['pending', 'active', 'unsubscribed', 'bounced'];

/** `topic-digest subscribers …` commands. */
export function registerSubscriberCommands(program: Command, ctx: CliContext): void {
  const group = program.command('subscribers').description('import, add, list and remove readers');

  group
    .command('import <file>')
    .description('import readers from a JSON or CSV file (see docs/subscribers.md); all rows or none')
    .option('--pending', 'import new readers as pending instead of active')
    .option('--skip-invalid', 'import the good rows and report the bad ones')
    .action(async (file: string, opts: { pending?: boolean; skipInvalid?: boolean }) => {
      const [{ describeRow, importSubscribers }, { readSubscriberFile }] = await loadImporting();
      const { rows } = await readSubscriberFile(file);
      const { store } = await ctx.app();
      const result = await importSubscribers(store, rows, {
        status: opts.pending ? 'pending' : 'active',
        skipInvalid: Boolean(opts.skipInvalid),
        now: new Date().toISOString(),
        source: file,
      });
      const { added, updated, skipped, invalid } = result;
      ctx.print(`${file}: ${result.total} row(s): ${added} added, ${updated} updated, ${skipped.length} skipped, ${invalid.length} invalid`);
      for (const r of skipped) ctx.print(`skipped ${describeRow(r)}`);
      for (const r of invalid) ctx.print(`invalid ${describeRow(r)}`);
    });

  group
    .command('add <email>')
    .description('add one reader, or update them if the address exists')
    .requiredOption('--topics <slugs>', 'comma-separated topic slugs, e.g. world,tech')
    .option('--name <name>', 'display name')
    .option('--timezone <zone>', 'IANA timezone, e.g. Europe/London (default: DIGEST_TIMEZONE)')
    .option('--pending', 'add as pending instead of active')
    .action(async (email: string, opts: { topics: string; name?: string; timezone?: string; pending?: boolean }) => {
      const [{ store }, { addSubscriber }] = await Promise.all([ctx.app(), loadAdding()]);
      const r = await addSubscriber(
        store,
        {
          email,
          topics: opts.topics.split(','),
          ...(opts.name !== undefined ? { name: opts.name } : {}),
          ...(opts.timezone !== undefined ? { timezone: opts.timezone } : {}),
        },
        { status: opts.pending ? 'pending' : 'active', now: new Date().toISOString() },
      );
      ctx.print(`${r.outcome} ${r.email}`);
    });

  group
    .command('list')
    .description('list readers')
    .option('--json', 'print a JSON array of {email, name, status, topics, timezone}')
    .addOption(new Option('--status <status>', 'only readers with this status').choices(STATUSES))
    .action(async (opts: { json?: boolean; status?: SubscriberStatus }) => {
      const store = await ctx.store();
      const subscribers = await store.subscribers.list(opts.status ? { status: opts.status } : {});
      if (opts.json) {
        const out = subscribers.map(({ email, name, status, topics, timezone }) => ({ email, name, status, topics, timezone }));
        ctx.print(JSON.stringify(out, null, 2));
        return;
      }
      const table = subscribers.map((s) => [s.email, s.status, s.topics.join(','), s.timezone ?? '-', s.name ?? '']);
      const widths = [0, 1, 2, 3].map((c) => Math.max(0, ...table.map((row) => row[c]!.length)));
      for (const row of table) ctx.print(row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ').trimEnd());
      ctx.print(`${subscribers.length} subscriber(s)`);
    });

  group
    .command('remove <email>')
    .description('delete a reader and everything recorded about them')
    .action(async (raw: string) => {
      const { store } = await ctx.app();
      // Look up the normalised form, as stored; fall back to the literal text for odd legacy rows.
      const checked = checkEmailAddress(raw);
      const email = checked.ok ? checked.email : raw.trim();
      if (!(await store.subscribers.remove(email))) {
        throw new AppError('SUBSCRIBER_NOT_FOUND', `no subscriber with the address ${JSON.stringify(email)}`, {
          hint: 'topic-digest subscribers list shows the stored addresses',
        });
      }
      ctx.print(`removed ${email}`);
    });
}
