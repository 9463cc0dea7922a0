import type { Command } from 'commander';
import { AppError } from '../errors.js';
import type { DeliveryStatus } from '../store/schema.js';
import { normaliseEmailAddress } from '../subscribers/email-address.js';
import type { CliContext } from './context.js';
import { printSummary, runWithProgress } from './send.js';
import { withInterruptions } from './shutdown.js';
import type { DeliveryRow } from '../store/delivery-repository.js';

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
      const app = await ctx.app();
      const rows = await app.store.deliveries.list({
        ...(opts.status ? { status: opts.status as DeliveryStatus } : {}),
        ...(opts.date ? { localDate: opts.date } : {}),
        limit: Number(opts.limit) || 100,
      });
      if (opts.json) return ctx.print(JSON.stringify(rows, null, 2));
      for (const r of rows) ctx.print([r.localDate, r.status.padEnd(8), r.email, feedbackNote(r) ?? r.reason ?? r.error ?? r.messageId ?? ''].join('\t'));
      ctx.print(`${rows.length} row(s)`);
    });

  registerStatsCommand(group, ctx);

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

/** "hard bounce 2026-01-15T…: 5.1.1 …" / "complaint …" for a row a report came back for. */
function feedbackNote(r: DeliveryRow): string | undefined {
  if (r.complainedAt) return `complaint ${r.complainedAt}: ${r.feedback ?? ''}`;
  if (r.bouncedAt) return `${r.bounceType ?? ''} bounce ${r.bouncedAt}: ${r.feedback ?? ''}`;
  return undefined;
}

/** `deliveries stats`: per day, sent, bounces, complaints, unsubscribes and the two rates. */
function registerStatsCommand(group: Command, ctx: CliContext): void {
  group
    .command('stats')
    .description('per day: sent, hard and soft bounces, complaints, unsubscribes, bounce and complaint rates')
    .option('--days <n>', 'how many days back, today included', '14')
    .option('--json', 'print JSON')
    .action(async (opts: { days: string; json?: boolean }) => {
      const days = Number(opts.days);
      if (!Number.isInteger(days) || days < 1 || days > 3660) throw new AppError('USAGE', `--days must be a whole number from 1 to 3660 (got ${JSON.stringify(opts.days)})`);
      const app = await ctx.app();
      const { deliveryStats, warnOnRates } = await import('../feedback/stats.js');
      const rows = await deliveryStats(app.store.feedback, days, new Date());
      warnOnRates(app.logger, rows);
      if (opts.json) return ctx.print(JSON.stringify(rows, null, 2));
      ctx.print(['day', 'sent', 'hard', 'soft', 'complaints', 'unsubscribes', 'bounce%', 'complaint%'].join('\t'));
      for (const r of rows) {
        const pct = (x: number) => (x * 100).toFixed(2);
        ctx.print([r.day, r.sent, r.hardBounces, r.softBounces, r.complaints, r.unsubscribes, pct(r.bounceRate), pct(r.complaintRate) + (r.warnings.length ? '  ! ' + r.warnings.join('; ') : '')].join('\t'));
      }
    });
}
