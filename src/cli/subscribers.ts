import { basename } from 'node:path';
import { Option, type Command } from 'commander';
import { AppError } from '../errors.js';
import type { SubscriberStatus } from '../model/subscriber.js';
import { storedForm } from '../subscribers/email-address.js';
import type { CliContext } from './context.js';
import { lazyModule } from './lazy.js';

const loadImporting = lazyModule(() => Promise.all([import('../subscriptions/import-subscribers.js'), import('../subscribers/subscriber-file.js')]));

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
      const [{ describeRow }, { readSubscriberFile }] = await loadImporting();
      const { rows } = await readSubscriberFile(file);
      const { subscriptions } = await ctx.app();
      const result = await subscriptions.importRows(rows, {
        status: opts.pending ? 'pending' : 'active',
        skipInvalid: Boolean(opts.skipInvalid),
        source: file,
        consentSource: `import:${basename(file)}`,
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
    .option('--frequency <frequency>', 'daily (default), weekdays or weekly')
    .option('--weekday <day>', 'the day of a weekly digest, e.g. monday')
    .option('--send-time <HH:MM>', 'local send time, 05:00-22:00 on the half hour (default: DIGEST_SEND_TIME)')
    .option('--pending', 'add as pending instead of active')
    .action(async (email: string, opts: { topics: string; name?: string; timezone?: string; frequency?: string; weekday?: string; sendTime?: string; pending?: boolean }) => {
      const { subscriptions } = await ctx.app();
      const { subscriber, outcome } = await subscriptions.add(
        {
          email,
          topics: opts.topics.split(','),
          ...(opts.name !== undefined ? { name: opts.name } : {}),
          ...(opts.timezone !== undefined ? { timezone: opts.timezone } : {}),
          ...(opts.frequency !== undefined ? { frequency: opts.frequency } : {}),
          ...(opts.weekday !== undefined ? { weekday: opts.weekday } : {}),
          ...(opts.sendTime !== undefined ? { sendTime: opts.sendTime } : {}),
        },
        { status: opts.pending ? 'pending' : 'active', origin: { source: 'cli:subscribers add' } },
      );
      ctx.print(`${outcome} ${subscriber.email}`);
    });

  group
    .command('list')
    .description('list readers')
    .option('--json', 'print a JSON array of {email, name, status, topics, timezone, frequency, weekday, sendTime}')
    .addOption(new Option('--status <status>', 'only readers with this status').choices(STATUSES))
    .action(async (opts: { json?: boolean; status?: SubscriberStatus }) => {
      // A read-only listing needs only the store, so it loads neither the mailer nor the renderer.
      const store = await ctx.store();
      const subscribers = await store.subscribers.list(opts.status ? { status: opts.status } : {});
      if (opts.json) {
        const out = subscribers.map(({ email, name, status, topics, timezone, frequency, weekday, sendTime }) => ({ email, name, status, topics, timezone, frequency, weekday, sendTime }));
        ctx.print(JSON.stringify(out, null, 2));
        return;
      }
      const table = subscribers.map((s) => [s.email, s.status, s.topics.join(','), s.timezone ?? '-', s.name ?? '']);
      const widths = [0, 1, 2, 3].map((c) => Math.max(0, ...table.map((row) => row[c]!.length)));
      for (const row of table) ctx.print(row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ').trimEnd());
      ctx.print(`${subscribers.length} subscriber(s)`);
    });

  group
    .command('export [email]')
    .description('everything stored about one reader, or every reader: profile, topics, choices, consent evidence, deliveries, bounces')
    .option('--json', 'a JSON array, one object per reader (the default)')
    .option('--csv', 'CSV, one line per reader, nested parts as JSON cells')
    .addOption(new Option('--status <status>', 'only readers with this status').choices(STATUSES))
    .action(async (email: string | undefined, opts: { json?: boolean; csv?: boolean; status?: SubscriberStatus }) => {
      const { exportCommand } = await import('./subscriber-data.js');
      await exportCommand(ctx, email, opts);
    });

  group
    .command('erase <email>')
    .description('erase a reader: profile, topics and consent go, the ledger keeps only a hash; they may subscribe again')
    .action(async (email: string) => {
      const { eraseCommand } = await import('./subscriber-data.js');
      await eraseCommand(ctx, email);
    });

  group
    .command('remove <email>')
    .description('delete a reader and everything recorded about them')
    .action(async (raw: string) => {
      const { subscriptions } = await ctx.app();
      const email = await subscriptions.remove(raw);
      if (email === undefined) {
        throw new AppError('SUBSCRIBER_NOT_FOUND', `no subscriber with the address ${JSON.stringify(storedForm(raw))}`, {
          hint: 'topic-digest subscribers list shows the stored addresses',
        });
      }
      ctx.print(`removed ${email}`);
    });
}
