import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { startBouncePoller } from './feedback.js';
import { lazyModule } from './lazy.js';
import { waitForShutdownSignal } from './shutdown.js';

const loadScheduler = lazyModule(() => import('../schedule/scheduler.js'));
const loadWorker = lazyModule(() => import('../schedule/worker.js'));
const loadSourcePoller = lazyModule(() => import('../schedule/source-poller.js'));

/**
 * The scale-out roles: `worker` only sends, `scheduler` only plans. Run any number of each
 * against one PostgreSQL database; `start` still does everything in one process.
 */
export function registerRoleCommands(program: Command, ctx: CliContext): void {
  program
    .command('worker')
    .description('only send: claim planned deliveries in leased batches and deliver them, until stopped')
    .option('--idle-ms <ms>', 'wait this long when there is nothing to send', (v) => Number.parseInt(v, 10), 5000)
    .action(async (opts: { idleMs: number }) => {
      const [app, { startWorker }] = await Promise.all([ctx.app(), loadWorker()]);
      await app.mailer.verify();
      app.logger.info(`worker sending to ${app.mailer.describe()}`, { pid: process.pid });
      const worker = startWorker(app, { idleMs: opts.idleMs });
      app.mailQueue.sender.start(); // workers also send the pages' queued transactional mail
      app.webhookSender.start();
      const signal = await Promise.race([waitForShutdownSignal(), worker.done.then(() => 'done' as const)]);
      app.logger.info(`${signal}: finishing the message in flight; unstarted claims return to the pool when their lease ends`);
      await Promise.all([worker.stop(), app.mailQueue.sender.stop()]);
    });

  program
    .command('scheduler')
    .description('only plan: on DIGEST_CRON, plan and render whoever is due, and poll due sources on SOURCES_POLL_CRON; workers send (one planner and one poller are active at a time)')
    .action(async () => {
      const [app, { startScheduler }, { startSourcePoller }] = await Promise.all([ctx.app(), loadScheduler(), loadSourcePoller()]);
      const scheduler = startScheduler(app, app.config.digest.cron, { planOnly: true });
      const poller = startSourcePoller({ ...app, locks: app.store.locks }, app.config.sources.pollCron);
      const bouncePoller = await startBouncePoller(app);
      app.logger.info('scheduler planning', { cron: app.config.digest.cron, sourcesCron: app.config.sources.pollCron, pid: process.pid });
      const signal = await waitForShutdownSignal();
      app.logger.info(`${signal} received: stopping`);
      await Promise.all([scheduler.stop(), poller.stop(), bouncePoller?.stop()]);
    });
}
