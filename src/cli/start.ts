import type { Command } from 'commander';
import { formatError } from '../errors.js';
import type { CliContext } from './context.js';
import { startBouncePoller } from './feedback.js';
import { lazyModule } from './lazy.js';
import { waitForShutdownSignal } from './shutdown.js';

const loadScheduler = lazyModule(() => import('../schedule/scheduler.js'));
const loadSampleData = lazyModule(() => import('../seed/seed-sample-data.js'));
const loadWebServer = lazyModule(() => import('../web/server.js'));
const loadSourcePoller = lazyModule(() => import('../schedule/source-poller.js'));

/** `topic-digest start`: web pages, scheduler and sending in one process (what `npm start` runs). */
export function registerStartCommand(program: Command, ctx: CliContext): void {
  program
    .command('start')
    .description('run everything in one process: signup pages, the digest scheduler and sending')
    .action(async () => {
      const [app, { startScheduler }, { seedSampleData }, { startWebServer }, { startSourcePoller }] = await Promise.all([ctx.app(), loadScheduler(), loadSampleData(), loadWebServer(), loadSourcePoller()]);
      const { store, logger, config } = app;
      if (config.seedSampleData) {
        // A seeding problem must not keep the service down: the operator's own data matters more.
        await seedSampleData(app).catch((err: unknown) => logger.warn('could not load the sample data', { error: formatError(err) }));
      }
      const [topics, articles, subscribers] = await Promise.all([store.topics.count(), store.articles.count(), store.subscribers.count()]);
      logger.info('store ready', { database: config.database.kind === 'sqlite' ? config.database.path : 'postgres', topics, articles, subscribers });
      logger.info(`mail goes to ${app.mailer.describe()}`);

      const web = await startWebServer(app, {}, { trustProxy: config.web.trustProxy });
      logger.info(`signup page: ${config.web.publicUrl}/   archive: ${config.web.publicUrl}/archive   (listening on ${web.url})`);
      const scheduler = startScheduler(app, config.digest.cron);
      app.mailQueue.sender.start();
      logger.info('digest scheduler running', { cron: config.digest.cron, sendTime: config.digest.sendTime, timezone: config.digest.timezone });
      const poller = startSourcePoller({ ...app, locks: store.locks }, config.sources.pollCron);
      const bouncePoller = await startBouncePoller(app);

      const signal = await waitForShutdownSignal();
      logger.info(`${signal} received: finishing the message in flight, leaving the rest planned`);
      await Promise.all([scheduler.stop(), poller.stop(), web.close(), app.mailQueue.sender.stop(), bouncePoller?.stop()]);
      logger.info('stopped cleanly');
    });
}
