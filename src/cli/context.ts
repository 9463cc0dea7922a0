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
  /**
   * Overrides environment variables from command-line options (e.g. `--port` sets PORT), so
   * everything derived from them (PUBLIC_URL) follows. Must be called before config() or app().
   */
  overrideEnv(vars: Record<string, string>): void;
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
  if (!options.env) dotenv.config({ quiet: true });
  let env: Record<string, string | undefined> = options.env ?? process.env;
  let config: Config | undefined;
  let app: Promise<App> | undefined;
  const getConfig = () => (config ??= parseConfig(env));
  return {
    config: getConfig,
    overrideEnv: (vars) => {
      if (config) throw new Error('overrideEnv called after the config was parsed');
      env = { ...env, ...vars };
    },
    app: () => (app ??= createApp(getConfig())),
    print: options.print ?? ((line) => process.stdout.write(line + '\n')),
    isTty: options.isTty ?? Boolean(process.stdout.isTTY),
    dispose: async () => {
      if (app) await (await app).close();
    },
  };
}
