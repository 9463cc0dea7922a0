import type { Command } from 'commander';
import { startWebServer } from '../web/server.js';
import type { CliContext } from './context.js';
import { applyListenOptions, withListenOptions, type ListenOptions } from './listen-options.js';
import { waitForShutdownSignal } from './shutdown.js';

/**
 * `topic-digest serve`: the web server alone (signup, preferences, unsubscribe, archive). It runs
 * until SIGINT or SIGTERM, then stops taking connections and lets open requests finish.
 */
export function registerServeCommand(program: Command, ctx: CliContext): void {
  withListenOptions(program.command('serve').description('run the web server: signup, confirmation, preferences, unsubscribe and the archive')).action(
    async (opts: ListenOptions) => {
      applyListenOptions(ctx, opts);
      const app = await ctx.app();
      const server = await startWebServer(app, {}, { trustProxy: app.config.web.trustProxy });
      app.logger.info('web server listening', { listen: server.url, public: app.config.web.publicUrl });
      await waitForShutdownSignal();
      app.logger.info('stopping the web server');
      await server.close();
    },
  );
}
