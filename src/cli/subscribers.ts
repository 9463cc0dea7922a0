import type { Command } from 'commander';
import type { CliContext } from './context.js';

/** `topic-digest subscribers …` commands. */
export function registerSubscriberCommands(program: Command, ctx: CliContext): void {
  void program;
  void ctx;
}
