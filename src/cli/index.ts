import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { packagePath } from '../paths.js';
import { formatError, isAppError } from '../errors.js';
import { createCliContext, loadConfigParser, type CliContext, type CliContextOptions } from './context.js';
import { registerArticleCommands } from './articles.js';
import { registerDeliveryCommands } from './deliveries.js';
import { registerFeedbackCommands } from './feedback.js';
import { registerPreviewCommand } from './preview.js';
import { registerRoleCommands } from './roles.js';
import { registerSendCommand } from './send.js';
import { registerSourceCommands } from './sources.js';
import { registerApiTokenCommands } from './api-tokens.js';
import { registerAdminCommands } from './admin.js';
import { registerServeCommand } from './serve.js';
import { registerStartCommand } from './start.js';
import { registerSubscriberCommands } from './subscribers.js';
import { registerSuppressionCommands } from './suppressions.js';
import { registerTestSendCommand } from './test-send.js';
import { registerTopicCommands } from './topics.js';
import { registerWebhookCommands } from './webhooks.js';

/**
 * Each command group registers itself here; one file per group under src/cli/. Registering runs
 * for every invocation, `--help` included, so a group file imports only what defining its
 * commands needs and loads the rest inside its actions (see lazy.ts).
 */
const registrars: Array<(program: Command, ctx: CliContext) => void> = [
  registerStartCommand,
  registerTopicCommands,
  registerArticleCommands,
  registerSubscriberCommands,
  registerSendCommand,
  registerPreviewCommand,
  registerTestSendCommand,
  registerDeliveryCommands,
  registerServeCommand,
  registerRoleCommands,
  registerFeedbackCommands,
  registerSuppressionCommands,
  registerSourceCommands,
  registerApiTokenCommands,
  registerAdminCommands,
  registerWebhookCommands,
];

/** Builds the `topic-digest` program. */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command('topic-digest')
    .description('Per-topic daily digest emails from a newsroom\'s articles')
    .version(packageVersion(), '-V, --version', 'print the version and exit')
    .showHelpAfterError()
    .exitOverride()
    .hook('preAction', loadConfigParser);
  for (const register of registrars) register(program, ctx);
  return program;
}

/** The version in package.json, read at call time so `--help` stays a plain file read. */
function packageVersion(): string {
  // From src/ or from the compiled dist/src/: packagePath finds the project root either way.
  const pkg = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

/**
 * Runs the CLI and returns the exit status. Errors are printed once, with their hint, and never
 * as a stack trace unless they are bugs.
 */
export async function runCli(argv: string[], options: CliContextOptions = {}): Promise<number> {
  const ctx = createCliContext(options);
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    process.stderr.write(formatError(err) + '\n');
    if (!isAppError(err) && err instanceof Error && err.stack) process.stderr.write(err.stack + '\n');
    return isAppError(err) ? err.exitCode : 1;
  } finally {
    await ctx.dispose();
  }
}
