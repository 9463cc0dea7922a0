import type { Command } from 'commander';
import { AppError } from '../errors.js';
import { checkEmailAddress } from '../subscribers/email-address.js';
import type { CliContext } from './context.js';

/** `topic-digest suppressions …`: the addresses that are never mailed. */
export function registerSuppressionCommands(program: Command, ctx: CliContext): void {
  const group = program.command('suppressions').description('addresses never to mail (bounced, complained, or added by hand)');

  group
    .command('list')
    .description('every suppressed address, newest first')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const { store } = await ctx.app();
      const rows = await store.suppressions.list();
      if (opts.json) return ctx.print(JSON.stringify(rows, null, 2));
      for (const r of rows) ctx.print([r.createdAt, r.reason.padEnd(11), r.email, r.detail ?? ''].join('\t'));
      ctx.print(`${rows.length} suppressed address(es)`);
    });

  group
    .command('add <email>')
    .description('suppress an address by hand; its reader (if any) is no longer planned')
    .option('--reason <text>', 'why, kept with the entry')
    .action(async (email: string, opts: { reason?: string }) => {
      const address = validAddress(email);
      const { store } = await ctx.app();
      const changed = await store.suppressions.add(address, 'manual', opts.reason ?? null, new Date().toISOString());
      ctx.print(changed ? `suppressed ${address}` : `${address} was already suppressed`);
    });

  group
    .command('remove <email>')
    .description('lift a suppression (a complaint too: only do that when the reader asked)')
    .action(async (email: string) => {
      const address = validAddress(email);
      const { store } = await ctx.app();
      if (!(await store.suppressions.remove(address))) {
        throw new AppError('SUBSCRIBER_NOT_FOUND', `${address} is not suppressed`, { hint: 'topic-digest suppressions list shows the suppressed addresses' });
      }
      ctx.print(`removed ${address} from the suppression list`);
    });
}

function validAddress(email: string): string {
  const check = checkEmailAddress(email);
  if (!check.ok) throw new AppError('USAGE', check.reason, { hint: 'give one address, e.g. reader@example.com' });
  return check.email;
}
