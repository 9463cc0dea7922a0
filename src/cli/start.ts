import type { Command } from 'commander';
import { formatError } from '../errors.js';
import type { CliContext } from './context.js';
import { startBouncePoller } from './feedback.js';
import { lazyModule } from './lazy.js';
import { applyListenOptions, withListenOptions, type ListenOptions } from './listen-options.js';
import { waitForShutdownSignal } from './shutdown.js';

const loadScheduler = lazyModule(() => import('../schedule/scheduler.js'));
const loadSampleData = lazyModule(() => import('../seed/seed-sample-data.js'));
const loadFirstRun = lazyModule(() => import('../seed/first-run.js'));
const loadWebServer = lazyModule(() => import('../web/server.js'));
const loadSourcePoller = lazyModule(() => import('../schedule/source-poller.js'));

/** `topic-digest start`: web pages, scheduler and sending in one process (what `npm start` runs). */
export function registerStartCommand(program: Command, ctx: CliContext): void {
  withListenOptions(program.command('start').description('run everything in one process: signup pages, the digest scheduler and sending')).action(
    async (opts: ListenOptions) => {
      applyListenOptions(ctx, opts);
      const [app, { startScheduler }, { seedSampleData }, { sendFirstRunDigests }, { startWebServer }, { startSourcePoller }] = await Promise.all([
        ctx.app(),
        loadScheduler(),
        loadSampleData(),
        loadFirstRun(),
        loadWebServer(),
        loadSourcePoller(),
      ]);
      const { store, logger, config } = app;
      let seeded = false;
      if (config.seedSampleData) {
        // A seeding problem must not keep the service down: the operator's own data matters more.
        seeded = (await seedSampleData(app).catch((err: unknown) => void logger.warn('could not load the sample data', { error: formatError(err) })))?.seeded ?? false;
      }
      const [topics, articles, subscribers] = await Promise.all([store.topics.count(), store.articles.count(), store.subscribers.count()]);
      logger.info('store ready', { database: config.database.kind === 'sqlite' ? config.database.path : 'postgres', topics, articles, subscribers });
      logger.info(`mail goes to ${app.mailer.describe()}`);

      const web = await startWebServer(app, {}, { trustProxy: config.web.trustProxy });
      const derived = config.web.publicUrlDerived ? ' (PUBLIC_URL derived from PORT; set PUBLIC_URL for a public address)' : '';
      logger.info(`signup page: ${config.web.publicUrl}/   archive: ${config.web.publicUrl}/archive   (listening on ${web.url})${derived}`);
      if (config.web.publicUrlDerived && config.web.port === 0) logger.warn('PORT=0 listens on a random port, but links in emails name port 0: set PORT or PUBLIC_URL');
      if (seeded) await sendFirstRunDigests(app, new Date()).catch((err: unknown) => logger.warn('could not send the first-run sample digests', { error: formatError(err) }));
      const scheduler = startScheduler(app, config.digest.cron);
      app.mailQueue.sender.start();
      app.webhookSender.start();
      logger.info('digest scheduler running', { cron: config.digest.cron, sendTime: config.digest.sendTime, timezone: config.digest.timezone });
      const poller = startSourcePoller({ ...app, locks: store.locks }, config.sources.pollCron);
      const bouncePoller = await startBouncePoller(app);

      const signal = await waitForShutdownSignal();
      logger.info(`${signal} received: finishing the message in flight, leaving the rest planned`);
      await Promise.all([scheduler.stop(), poller.stop(), web.close(), app.mailQueue.sender.stop(), bouncePoller?.stop()]);
      logger.info('stopped cleanly');
    },
  );
}
