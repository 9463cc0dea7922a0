import dotenv from 'dotenv';
import { parseConfig, type Config } from '../config.js';
import { createApp, type App } from '../main.js';

/**
 * What every command gets: a lazily built app (so `--help` needs no database) and the streams to
 * write to. Tests pass their own env and capture the output.
 */
export interface CliContext {
  /** Builds the app on first call and returns the same one afterwards. */
  app(): Promise<App>;
  /** The parsed config, without opening the store. */
  config(): Config;
  /** Writes a line to stdout. */
  print(line: string): void;
  /** Whether stdout is an interactive terminal (progress bars only there). */
  isTty: boolean;
  /** Closes whatever the commands opened. */
  dispose(): Promise<void>;
}

/** Options for {@link createCliContext}. */
export interface CliContextOptions {
  env?: Record<string, string | undefined>;
  print?: (line: string) => void;
  isTty?: boolean;
}

/** Creates the context; loads `.env` into the environment unless an env is given. */
export function createCliContext(options: CliContextOptions = {}): CliContext {
  let env = options.env;
  if (!env) {
    dotenv.config({ quiet: true });
    env = process.env;
  }
  let config: Config | undefined;
  let app: Promise<App> | undefined;
  const getConfig = () => (config ??= parseConfig(env));
  return {
    config: getConfig,
    app: () => (app ??= createApp(getConfig())),
    print: options.print ?? ((line) => process.stdout.write(line + '\n')),
    isTty: options.isTty ?? Boolean(process.stdout.isTTY),
    dispose: async () => {
      // An app that failed to start has already reported its error and released what it opened;
      // awaiting its rejected promise again would print that error a second time, with a stack.
      const opened = await app?.catch(() => undefined);
      await opened?.close();
    },
  };
}
