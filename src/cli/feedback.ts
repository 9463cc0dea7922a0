import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { AppError, messageOf } from '../errors.js';
import type { FeedbackPoller } from '../feedback/imap-poller.js';
import type { App } from '../main.js';
import type { CliContext } from './context.js';

/** Mail bigger than this is not a bounce report worth reading (and would exhaust memory from stdin). */
const MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

/** `topic-digest feedback …`: read bounce and complaint reports delivered as mail. */
export function registerFeedbackCommands(program: Command, ctx: CliContext): void {
  const group = program.command('feedback').description('bounces and complaints that come back as mail');

  group
    .command('process [files...]')
    .description('read bounce/complaint messages (one per file, or one from stdin with "-" or no file) and record them')
    .option('--recipient <address>', 'the envelope recipient the MTA delivered to (Postfix: ${original_recipient}), for VERP')
    .option('--json', 'print one JSON outcome per message')
    .addHelpText('after', '\nExits 0 for every message it read, whatever it was; 75 (EX_TEMPFAIL, so the MTA retries) when the result could not be stored.')
    .action(async (files: string[], opts: { recipient?: string; json?: boolean }) => {
      const inputs = files.length === 0 ? ['-'] : files;
      const app = await ctx.app();
      const { processFeedbackMessage } = await import('../feedback/process-message.js');
      const { createRateWatch } = await import('../feedback/stats.js');
      const unreadable: string[] = [];
      const unstored: string[] = [];
      let recorded = 0;
      for (const input of inputs) {
        let raw: Buffer;
        try {
          raw = input === '-' ? await readStdin() : await readFile(input);
        } catch (err) {
          unreadable.push(`${input}: ${messageOf(err)}`);
          continue;
        }
        try {
          const out = await processFeedbackMessage(app.store, app.feedbackRules, raw, 'mail', app.logger, opts.recipient ? [opts.recipient] : []);
          if (!out.duplicate && out.kind !== 'ignored') recorded++;
          if (opts.json) ctx.print(JSON.stringify({ file: input, ...out }));
          else ctx.print([input, out.duplicate ? 'duplicate' : out.kind, out.email ?? '-', out.action, out.summary].join('\t'));
        } catch (err) {
          unstored.push(`${input}: ${messageOf(err)}`);
        }
      }
      if (recorded > 0) await createRateWatch(app.store.feedback, app.logger)().catch(() => undefined);
      if (unstored.length > 0) {
        throw new AppError('FEEDBACK_NOT_STORED', `could not store the result of ${unstored.length} message(s)`, {
          details: [...unstored, ...unreadable],
          hint: 'nothing of those reports was kept; check the database (DATABASE_URL) and run the command again, or let the MTA retry',
        });
      }
      if (unreadable.length > 0) {
        throw new AppError('INPUT_UNREADABLE', `could not read ${unreadable.length} input(s)`, { details: unreadable, hint: 'check the file names and permissions' });
      }
    });
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += b.length;
    if (size > MAX_MESSAGE_BYTES) throw new Error(`the message on stdin is larger than ${MAX_MESSAGE_BYTES} bytes`);
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

/** Starts the BOUNCE_IMAP_URL poller for `start` and the scheduler role; undefined when not configured. */
export async function startBouncePoller(app: App): Promise<FeedbackPoller | undefined> {
  const imap = app.config.feedback.imap;
  if (!imap) return undefined;
  const { describeMailbox, startFeedbackPoller } = await import('../feedback/imap-poller.js');
  app.logger.info('polling the bounce mailbox', { mailbox: describeMailbox(imap.url), every: `${imap.pollSeconds}s`, done: imap.doneFolder });
  return startFeedbackPoller(app.store, app.feedbackRules, imap, app.logger);
}
