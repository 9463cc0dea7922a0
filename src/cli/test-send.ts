import type { Command } from 'commander';
import { AppError } from '../errors.js';
import type { CliContext } from './context.js';

/** `topic-digest test-send`: the console's "Send a test" from the shell, through the same service. */
export function registerTestSendCommand(program: Command, ctx: CliContext): void {
  program
    .command('test-send')
    .description('send the digest a topic set would get now to any address, marked "[Test]" (header X-Topic-Digest-Test: 1); records nothing')
    .requiredOption('--to <address>', 'where to send it')
    .requiredOption('--topics <slugs>', 'comma-separated topic slugs, e.g. world,tech')
    .option('--frequency <daily|weekly>', 'as a daily or a weekly digest', 'daily')
    .action(async (opts: { to: string; topics: string; frequency: string }) => {
      if (opts.frequency !== 'daily' && opts.frequency !== 'weekly') {
        throw new AppError('USAGE', `--frequency ${JSON.stringify(opts.frequency)} is not daily or weekly`, { hint: 'use --frequency daily or --frequency weekly' });
      }
      const app = await ctx.app();
      const outcome = await app.sendTestDigest({ to: opts.to, topics: opts.topics.split(','), frequency: opts.frequency });
      if (!outcome.sent) throw new AppError('INPUT_INVALID', `nothing sent to ${outcome.to}: ${outcome.reason}`, { hint: 'choose topics with recent stories (`topic-digest articles list`)' });
      ctx.print(`sent "${outcome.subject}" to ${outcome.to}`);
      ctx.print(`  ${outcome.articles} article(s): ${outcome.sections.map((s) => `${s.topic} ${s.articles}`).join(', ')}`);
      ctx.print(`  Message-ID ${outcome.messageId}; ${outcome.response}`);
      ctx.print('  not recorded as a delivery');
    });
}
