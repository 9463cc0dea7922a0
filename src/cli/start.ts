import type { Command } from 'commander';
import type { CliContext } from './context.js';

/** `topic-digest start`: everything in one process (what `npm start` runs). */
export function registerStartCommand(program: Command, ctx: CliContext): void {
  program
    .command('start')
    .description('open the store, load defaults, and run the digest service')
    .action(async () => {
      const app = await ctx.app();
      const { store, logger, config } = app;
      const [topics, articles, subscribers] = await Promise.all([store.topics.count(), store.articles.count(), store.subscribers.count()]);
      logger.info('store ready', { database: config.database.kind === 'sqlite' ? config.database.path : 'postgres', topics, articles, subscribers });
    });
}
