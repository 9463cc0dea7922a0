import dotenv from 'dotenv';
import type { Config } from '../config.js';
import type { App } from '../main.js';
import type { Store } from '../store/store.js';

/**
 * What every command gets: a lazily built app (so `--help` needs no database) and the streams to
 * write to. Tests pass their own env and capture the output.
 */
export interface CliContext {
  /** Builds the app on first call and returns the same one afterwards. */
  app(): Promise<App>;
  /**
   * The store alone, for commands that need nothing else: it loads neither the mailer nor the
   * renderer. The app's store when the app is built; an app built later takes this one over.
   */
  store(): Promise<Store>;
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

// zod and the config schema cost more than the rest of `--help`; they load before the first action.
let configModule: typeof import('../config.js') | undefined;

/** Loads the config parser; {@link buildProgram} runs it before any command's action. */
export async function loadConfigParser(): Promise<void> {
  configModule ??= await import('../config.js');
}

function parseConfig(env: Record<string, string | undefined>): Config {
  if (!configModule) throw new Error('the config was read before loadConfigParser() ran');
  return configModule.parseConfig(env);
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
  let store: Promise<Store> | undefined;
  const getConfig = () => (config ??= parseConfig(env));
  // Imported here, not at the top: main.js pulls in the mailer, React and the store.
  const buildApp = async () => {
    await loadConfigParser();
    const { createApp } = await import('../main.js');
    return createApp(getConfig(), store ? { store: await store } : {});
  };
  const openStoreOnly = async () => {
    await loadConfigParser();
    const [{ openAppStore }, { createLogger }] = await Promise.all([import('../app-store.js'), import('../logger.js')]);
    return openAppStore(getConfig(), createLogger(getConfig().logLevel, { format: getConfig().logFormat }));
  };
  return {
    config: getConfig,
    app: () => (app ??= buildApp()),
    store: () => (app ? app.then((a) => a.store) : (store ??= openStoreOnly())),
    print: options.print ?? ((line) => process.stdout.write(line + '\n')),
    isTty: options.isTty ?? Boolean(process.stdout.isTTY),
    dispose: async () => {
      // A build that failed was reported already (awaiting its rejected promise again would print
      // the error a second time, with a stack); close whatever did open.
      const built = app && (await app.catch(() => undefined));
      if (built) await built.close();
      else if (store) await (await store.catch(() => undefined))?.close();
    },
  };
}
