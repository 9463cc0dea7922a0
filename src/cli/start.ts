import type { Command } from 'commander';
import { startScheduler } from '../schedule/scheduler.js';
import type { CliContext } from './context.js';
import { waitForShutdownSignal } from './shutdown.js';

/** `topic-digest start`: everything in one process (what `npm start` runs). */
export function registerStartCommand(program: Command, ctx: CliContext): void {
  program
    .command('start')
    .description('run the digest scheduler (and, with the web issue, the signup pages) in one process')
    .action(async () => {
      const app = await ctx.app();
      const { store, logger, config } = app;
      const [topics, articles, subscribers] = await Promise.all([store.topics.count(), store.articles.count(), store.subscribers.count()]);
      logger.info('store ready', { database: config.database.kind === 'sqlite' ? config.database.path : 'postgres', topics, articles, subscribers });
      logger.info(`mail goes to ${app.mailer.describe()}`);
      const scheduler = startScheduler(app, config.digest.cron);
      logger.info('digest scheduler running', { cron: config.digest.cron, sendTime: config.digest.sendTime, timezone: config.digest.timezone });
      const signal = await waitForShutdownSignal();
      logger.info(`${signal} received: finishing the message in flight, leaving the rest planned`);
      await scheduler.stop();
      logger.info('stopped cleanly');
    });
}
