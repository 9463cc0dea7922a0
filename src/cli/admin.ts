import type { Command } from 'commander';
import { AppError } from '../errors.js';
import type { CliContext } from './context.js';

/** `topic-digest admin …`: the console's sign-in from the shell. */
export function registerAdminCommands(program: Command, ctx: CliContext): void {
  const admin = program.command('admin').description('the web console at /admin');

  admin
    .command('link')
    .description('print a one-time console sign-in URL (15 minutes, one use), for the first run and machines without mail')
    .option('--email <address>', 'sign in as this ADMIN_EMAILS address (default: the first listed)')
    .action(async (opts: { email?: string }) => {
      const app = await ctx.app();
      const listed = app.config.admin.emails;
      if (listed.length === 0) {
        throw new AppError('CONFIG_INVALID', 'ADMIN_EMAILS is empty, so nobody may sign in to the console', { hint: 'set ADMIN_EMAILS=you@example.com in .env' });
      }
      const email = (opts.email ?? listed[0]!).trim().toLowerCase();
      if (!listed.includes(email)) throw new AppError('USAGE', `${email} is not in ADMIN_EMAILS`, { hint: `listed: ${listed.join(', ')}` });
      const { LOGIN_TOKEN_TTL_MS } = await import('../web/admin/session.js');
      const { adminLoginUrl } = await import('../web/admin/login.js');
      const token = await app.store.admin.createLoginToken(email, new Date(), LOGIN_TOKEN_TTL_MS);
      ctx.print(adminLoginUrl(app.config.web.publicUrl, token));
    });
}
