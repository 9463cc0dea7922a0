import type { Command } from 'commander';
import { AppError } from '../errors.js';
import type { CliContext } from './context.js';

/** The `--port`/`--host` options `start` and `serve` share. */
export interface ListenOptions {
  port?: string;
  host?: string;
}

/** Adds `--port` and `--host` to a command. */
export function withListenOptions(command: Command): Command {
  return command.option('-p, --port <port>', 'port to listen on (default: PORT)').option('--host <host>', 'address to listen on (default: HOST)');
}

/**
 * Applies `--port`/`--host` as if PORT/HOST were set, before the config is parsed, so a derived
 * PUBLIC_URL (and so every link in every email) follows the port actually served.
 */
export function applyListenOptions(ctx: CliContext, opts: ListenOptions): void {
  const vars: Record<string, string> = {};
  if (opts.port !== undefined) {
    if (!/^\d{1,5}$/.test(opts.port) || Number(opts.port) > 65535) {
      throw new AppError('USAGE', `--port must be a number from 0 to 65535 (got ${JSON.stringify(opts.port)})`, { hint: 'for example: --port 4300' });
    }
    vars.PORT = opts.port;
  }
  if (opts.host) vars.HOST = opts.host;
  if (Object.keys(vars).length > 0) ctx.overrideEnv(vars);
}
