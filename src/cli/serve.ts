import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { lazyModule } from './lazy.js';
import { applyListenOptions, withListenOptions, type ListenOptions } from './listen-options.js';
import { waitForShutdownSignal } from './shutdown.js';

const loadWebServer = lazyModule(() => import('../web/server.js'));

/**
 * `topic-digest serve`: the web server alone (signup, preferences, unsubscribe, archive). It runs
 * until SIGINT or SIGTERM, then stops taking connections and lets open requests finish.
 */
export function registerServeCommand(program: Command, ctx: CliContext): void {
  withListenOptions(program.command('serve').description('run the web server: signup, confirmation, preferences, unsubscribe and the archive')).action(
    async (opts: ListenOptions) => {
      applyListenOptions(ctx, opts);
      const [app, { startWebServer }] = await Promise.all([ctx.app(), loadWebServer()]);
      const server = await startWebServer(app, {}, { trustProxy: app.config.web.trustProxy });
      app.logger.info('web server listening', { listen: server.url, public: app.config.web.publicUrl });
      // Confirmation and welcome emails the pages queue are sent from here, in the background.
      app.mailQueue.sender.start();
      app.webhookSender.start();
      await waitForShutdownSignal();
      app.logger.info('stopping the web server');
      await Promise.all([server.close(), app.mailQueue.sender.stop()]);
    },
  );
}
