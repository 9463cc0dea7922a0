import type { Command } from 'commander';
import type { CliContext } from './context.js';

/** `topic-digest topics …` commands. */
export function registerTopicCommands(program: Command, ctx: CliContext): void {
  void program;
  void ctx;
}
