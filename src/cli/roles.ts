import type { Command } from 'commander';
import { startScheduler } from '../schedule/scheduler.js';
import { startWorker } from '../schedule/worker.js';
import type { CliContext } from './context.js';
import { startBouncePoller } from './feedback.js';
import { waitForShutdownSignal } from './shutdown.js';

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
      const app = await ctx.app();
      await app.mailer.verify();
      app.logger.info(`worker sending to ${app.mailer.describe()}`, { pid: process.pid });
      const worker = startWorker(app, { idleMs: opts.idleMs });
      const signal = await Promise.race([waitForShutdownSignal(), worker.done.then(() => 'done' as const)]);
      app.logger.info(`${signal}: finishing the message in flight; unstarted claims return to the pool when their lease ends`);
      await worker.stop();
    });

  program
    .command('scheduler')
    .description('only plan: on DIGEST_CRON, plan and render whoever is due; workers send (one planner is active at a time)')
    .action(async () => {
      const app = await ctx.app();
      const scheduler = startScheduler(app, app.config.digest.cron, { planOnly: true });
      app.logger.info('scheduler planning', { cron: app.config.digest.cron, pid: process.pid });
      const poller = await startBouncePoller(app);
      const signal = await waitForShutdownSignal();
      app.logger.info(`${signal} received: stopping`);
      await Promise.all([scheduler.stop(), poller?.stop()]);
    });
}
