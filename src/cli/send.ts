import type { Command } from 'commander';
import { AppError, isAppError } from '../errors.js';
import type { DigestRunSummary } from '../pipeline/digest-run.js';
import { normaliseEmailAddress } from '../subscribers/email-address.js';
import type { CliContext } from './context.js';
import { lazyModule } from './lazy.js';
import { parseNow } from './parse-now.js';
import { withInterruptions } from './shutdown.js';

const loadProgressBars = lazyModule(() => import('cli-progress'));

/** Prints a run summary as JSON or as lines a person reads. */
export function printSummary(ctx: CliContext, summary: DigestRunSummary, json: boolean): void {
  if (json) {
    ctx.print(JSON.stringify(summary));
    return;
  }
  if (summary.wouldSend) {
    for (const w of summary.wouldSend) {
      const what = w.status === 'planned' ? `${w.subject} [${w.sections.map((s) => `${s.topic}:${s.articles}`).join(' ')}]` : `skipped (${w.reason})`;
      ctx.print(`${w.email}\t${w.localDate}\t${what}`);
    }
  }
  const s = summary;
  ctx.print(
    `${s.dryRun ? 'dry run: ' : ''}planned=${s.planned} sent=${s.sent} skipped=${s.skipped} failed=${s.failed} bounced=${s.bounced} ` +
      `deferred=${s.deferred} uncertain=${s.uncertain} renders=${s.renders} duration=${(s.durationMs / 1000).toFixed(2)}s`,
  );
  if (s.uncertain > 0) {
    ctx.print(`warning: ${s.uncertain} uncertain deliveries: the server may or may not have them, so they are not resent automatically`);
    for (const u of s.uncertainDeliveries ?? []) ctx.print(`  uncertain #${u.id} ${u.email} ${u.localDate} ${u.messageId ?? ''} (${u.reason ?? 'no reason recorded'})`);
    if ((s.uncertainDeliveries?.length ?? 0) < s.uncertain) ctx.print(`  … and ${s.uncertain - (s.uncertainDeliveries?.length ?? 0)} more: topic-digest deliveries list --uncertain`);
    ctx.print("  check the relay's log for each Message-ID, then: topic-digest deliveries resolve <id…> --delivered (or --not-delivered to send again)");
  }
  if (s.stoppedBecause) ctx.print(`stopped early: ${s.stoppedBecause}`);
}

/** Runs one pass with a progress bar on a terminal and plain lines elsewhere. */
export async function runWithProgress(ctx: CliContext, run: (hooks: { onProgress: (r: { sent: number; failed: number }) => void; onPlanned: (n: number) => void }) => Promise<DigestRunSummary>): Promise<DigestRunSummary> {
  const { SingleBar, Presets } = ctx.isTty ? (await loadProgressBars()).default : { SingleBar: undefined, Presets: undefined };
  const bar = SingleBar ? new SingleBar({ format: 'sending [{bar}] {value}/{total} sent+failed', hideCursor: true }, Presets.shades_classic) : undefined;
  let total = 0;
  let started = false;
  try {
    return await run({
      onPlanned: (n) => {
        total = n;
      },
      onProgress: (r) => {
        if (!bar) return;
        if (!started) bar.start(Math.max(total, 1), 0);
        started = true;
        bar.setTotal(Math.max(total, r.sent + r.failed));
        bar.update(r.sent + r.failed);
      },
    });
  } finally {
    if (started) bar?.stop();
  }
}

/** `topic-digest send`: one pass of the digest now. */
export function registerSendCommand(program: Command, ctx: CliContext): void {
  program
    .command('send')
    .description('plan, render and send the digest to everyone who has not had today\'s yet')
    .option('--now <iso>', 'pretend the clock says this (ISO 8601)')
    .option('--dry-run', 'plan and render, print who would get what; send and record nothing')
    .option('--only <email>', 'only this subscriber')
    .option('--respect-schedule', 'only readers whose local send time has passed (what the scheduler does)')
    .option('--json', 'print the summary as one JSON object')
    .action(async (opts: { now?: string; dryRun?: boolean; only?: string; respectSchedule?: boolean; json?: boolean }) => {
      const now = parseNow(opts.now);
      if (!opts.dryRun && now.getTime() > Date.now() + 60_000) {
        // A future clock would record windows ending in the future and swallow every article imported until then.
        throw new AppError('USAGE', '--now is in the future; a real send would skip every article imported before that time', { hint: 'use --now with --dry-run, or a time in the past' });
      }
      const app = await ctx.app();
      app.logger.info(`mail goes to ${app.mailer.describe()}`);
      const summary = await withInterruptions(app.logger, (signal) =>
        runWithProgress(ctx, (hooks) =>
          app.runDigest({ now, force: !opts.respectSchedule, dryRun: Boolean(opts.dryRun), signal, ...(opts.only ? { onlyEmail: normaliseEmailAddress(opts.only) } : {}), ...hooks }),
        ),
      ).catch((err: unknown) => {
        throw isAppError(err, 'STORE_FAILED') ? withUncertainNote(err) : err;
      });
      printSummary(ctx, summary, Boolean(opts.json));
      if (summary.storeFailed) {
        throw new AppError('STORE_FAILED', `the run stopped because the store failed: ${summary.stoppedBecause ?? 'unknown'}`, {
          details: ['the delivery named above was accepted by SMTP but not recorded: it stays uncertain (`sending`) and is never resent automatically'],
          hint: 'fix the store, then check it with `topic-digest deliveries list`',
        });
      }
      if (summary.stoppedBecause && summary.sent === 0 && summary.failed === 0 && summary.deferred > 0) {
        throw new AppError('SMTP_UNREACHABLE', `the run stopped: ${summary.stoppedBecause}`, { hint: 'the deliveries stay planned; run send again when SMTP is back' });
      }
    });
}

/** A store failure that stopped a run, with what the run may have left behind. */
function withUncertainNote(err: AppError): AppError {
  return new AppError(err.code, err.message, {
    cause: err.cause,
    ...(err.hint ? { hint: err.hint } : {}),
    details: [...err.details, 'the run stopped: digests it had claimed but not recorded stay uncertain; once the store is back, `topic-digest deliveries list` shows them and the next run reports them'],
  });
}
