import type { Command } from 'commander';
import { startScheduler } from '../schedule/scheduler.js';
import { startWebServer } from '../web/server.js';
import type { CliContext } from './context.js';
import { waitForShutdownSignal } from './shutdown.js';

/** `topic-digest start`: web pages, scheduler and sending in one process (what `npm start` runs). */
export function registerStartCommand(program: Command, ctx: CliContext): void {
  program
    .command('start')
    .description('run everything in one process: signup pages, the digest scheduler and sending')
    .action(async () => {
      const app = await ctx.app();
      const { store, logger, config } = app;
      const [topics, articles, subscribers] = await Promise.all([store.topics.count(), store.articles.count(), store.subscribers.count()]);
      logger.info('store ready', { database: config.database.kind === 'sqlite' ? config.database.path : 'postgres', topics, articles, subscribers });
      logger.info(`mail goes to ${app.mailer.describe()}`);

      const web = await startWebServer(app, {}, { trustProxy: config.web.trustProxy });
      logger.info(`signup page: ${config.web.publicUrl}/   archive: ${config.web.publicUrl}/archive   (listening on ${web.url})`);
      const scheduler = startScheduler(app, config.digest.cron);
      logger.info('digest scheduler running', { cron: config.digest.cron, sendTime: config.digest.sendTime, timezone: config.digest.timezone });

      const signal = await waitForShutdownSignal();
      logger.info(`${signal} received: finishing the message in flight, leaving the rest planned`);
      await Promise.all([scheduler.stop(), web.close()]);
      logger.info('stopped cleanly');
    });
}
