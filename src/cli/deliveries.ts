import type { Command } from 'commander';
import { AppError } from '../errors.js';
import type { DeliveryStatus } from '../store/schema.js';
import { normaliseEmailAddress } from '../subscribers/email-address.js';
import type { CliContext } from './context.js';
import { printSummary, runWithProgress } from './send.js';
import { withInterruptions } from './shutdown.js';
import type { DeliveryRow } from '../store/delivery-queries.js';

const STATUSES: DeliveryStatus[] = ['planned', 'sending', 'sent', 'failed', 'skipped'];

/** `topic-digest deliveries …`: inspect the ledger, settle uncertain rows, resend them on purpose. */
export function registerDeliveryCommands(program: Command, ctx: CliContext): void {
  const group = program.command('deliveries').description('inspect the delivery ledger');

  group
    .command('list')
    .description('ledger rows, newest first, with the sender holding each and why a row failed or is uncertain')
    .option('--status <status>', `one of ${STATUSES.join(', ')}`)
    .option('--uncertain', "only uncertain rows ('sending' with no live sender: the server may or may not have them)")
    .option('--date <yyyy-mm-dd>', 'readers\' local date')
    .option('--limit <n>', 'at most this many rows', '100')
    .option('--json', 'print JSON')
    .action(async (opts: { status?: string; uncertain?: boolean; date?: string; limit: string; json?: boolean }) => {
      if (opts.status && !STATUSES.includes(opts.status as DeliveryStatus)) {
        throw new AppError('USAGE', `--status must be one of ${STATUSES.join(', ')}`);
      }
      const store = await ctx.store();
      const rows = await store.deliveries.list({
        ...(opts.status ? { status: opts.status as DeliveryStatus } : {}),
        ...(opts.uncertain ? { uncertainOnly: true } : {}),
        ...(opts.date ? { localDate: opts.date } : {}),
        limit: Number(opts.limit) || 100,
      });
      if (opts.json) return ctx.print(JSON.stringify(rows, null, 2));
      ctx.print(['id', 'date', 'status', 'email', 'owner', 'lease until', 'reason'].join('\t'));
      for (const r of rows) {
        const status = r.status === 'sending' && !r.leaseUntil ? 'uncertain' : r.status;
        ctx.print([r.id, r.localDate, status.padEnd(9), r.email, r.owner ?? '-', r.leaseUntil ?? '-', feedbackNote(r) ?? r.reason ?? r.error ?? r.messageId ?? ''].join('\t'));
      }
      ctx.print(`${rows.length} row(s)`);
    });

  registerStatsCommand(group, ctx);

  group
    .command('resolve')
    .description('settle uncertain deliveries after checking the relay\'s log: --delivered records them sent, --not-delivered sends them again')
    .argument('[ids...]', 'delivery ids (see deliveries list --uncertain)')
    .option('--all-uncertain', 'every uncertain delivery')
    .option('--delivered', 'the relay has them: record them as sent')
    .option('--not-delivered', 'the relay does not have them: make them sendable again')
    .option('--json', 'print the settled ids as JSON')
    .action(async (ids: string[], opts: { allUncertain?: boolean; delivered?: boolean; notDelivered?: boolean; json?: boolean }) => {
      if (Boolean(opts.delivered) === Boolean(opts.notDelivered)) throw new AppError('USAGE', 'say either --delivered or --not-delivered');
      if (Boolean(opts.allUncertain) === ids.length > 0) throw new AppError('USAGE', 'give delivery ids or --all-uncertain (not both)');
      const bad = ids.filter((id) => !/^\d+$/.test(id));
      if (bad.length > 0) throw new AppError('USAGE', `not a delivery id: ${bad.join(', ')}`, { hint: 'ids are the numbers in the first column of deliveries list --uncertain' });
      const app = await ctx.app();
      // A crashed sender's rows become uncertain first, so they can be settled without a run in between.
      await app.store.leases.takeOverDeadOwners('', new Date());
      const wanted = opts.allUncertain ? 'all-uncertain' : ids.map(Number);
      const settled = await app.store.deliveries.settle(wanted, opts.delivered ? 'delivered' : 'not-delivered', new Date());
      const skipped = wanted === 'all-uncertain' ? [] : wanted.filter((id) => !settled.includes(id));
      if (opts.json) return ctx.print(JSON.stringify({ settled, notUncertain: skipped }));
      ctx.print(`settled ${settled.length} deliver${settled.length === 1 ? 'y' : 'ies'} as ${opts.delivered ? 'delivered' : 'not delivered (they will be sent on the next run)'}`);
      if (skipped.length > 0) {
        throw new AppError('USAGE', `not uncertain (unknown, in flight with a live sender, or already settled): ${skipped.join(', ')}`, { hint: 'see topic-digest deliveries list --uncertain' });
      }
    });

  group
    .command('retry')
    .description('resend every uncertain delivery now (they may have reached the reader already)')
    .requiredOption('--uncertain', "requeue uncertain rows ('sending' whose sender is gone); in-flight rows of live senders are never touched")
    .option('--only <email>', 'only this subscriber')
    .option('--json', 'print the summary as JSON')
    .action(async (opts: { only?: string; json?: boolean }) => {
      const app = await ctx.app();
      const only = opts.only === undefined ? {} : { onlyEmail: normaliseEmailAddress(opts.only) };
      // Requeued inside the run, after taking over gone senders' rows, so a message a live process is still sending is never touched.
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
