import type { Command } from 'commander';
import type { CliContext } from './context.js';

/** `topic-digest articles …` commands. */
export function registerArticleCommands(program: Command, ctx: CliContext): void {
  void program;
  void ctx;
}
