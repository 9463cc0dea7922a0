import type { Command } from 'commander';
import { AppError } from '../errors.js';
import type { DeliveryStatus } from '../store/schema.js';
import { normaliseEmailAddress } from '../subscribers/email-address.js';
import type { CliContext } from './context.js';
import { printSummary, runWithProgress } from './send.js';
import { withInterruptions } from './shutdown.js';

const STATUSES: DeliveryStatus[] = ['planned', 'sending', 'sent', 'failed', 'skipped'];

/** `topic-digest deliveries …`: inspect the ledger and resend uncertain rows on purpose. */
export function registerDeliveryCommands(program: Command, ctx: CliContext): void {
  const group = program.command('deliveries').description('inspect the delivery ledger');

  group
    .command('list')
    .description('ledger rows, newest first')
    .option('--status <status>', `one of ${STATUSES.join(', ')}`)
    .option('--date <yyyy-mm-dd>', 'readers\' local date')
    .option('--limit <n>', 'at most this many rows', '100')
    .option('--json', 'print JSON')
    .action(async (opts: { status?: string; date?: string; limit: string; json?: boolean }) => {
      if (opts.status && !STATUSES.includes(opts.status as DeliveryStatus)) {
        throw new AppError('USAGE', `--status must be one of ${STATUSES.join(', ')}`);
      }
      const store = await ctx.store();
      const rows = await store.deliveries.list({
        ...(opts.status ? { status: opts.status as DeliveryStatus } : {}),
        ...(opts.date ? { localDate: opts.date } : {}),
        limit: Number(opts.limit) || 100,
      });
      if (opts.json) return ctx.print(JSON.stringify(rows, null, 2));
      for (const r of rows) ctx.print([r.localDate, r.status.padEnd(8), r.email, r.reason ?? r.error ?? r.messageId ?? ''].join('\t'));
      ctx.print(`${rows.length} row(s)`);
    });

  group
    .command('retry')
    .description('resend deliveries left uncertain by a crash (they may have reached the reader already)')
    .requiredOption('--uncertain', 'requeue rows stuck in "sending" whose lease has run out')
    .option('--only <email>', 'only this subscriber')
    .option('--json', 'print the summary as JSON')
    .action(async (opts: { only?: string; json?: boolean }) => {
      const app = await ctx.app();
      const only = opts.only === undefined ? {} : { onlyEmail: normaliseEmailAddress(opts.only) };
      // Requeued inside the locked run, so a message another process is still sending is never touched.
      const summary = await withInterruptions(app.logger, (signal) =>
        runWithProgress(ctx, (hooks) => app.runDigest({ now: new Date(), sendOnly: true, requeueUncertain: true, signal, ...only, ...hooks })),
      );
      printSummary(ctx, summary, Boolean(opts.json));
    });
}
