import type { Command } from 'commander';
import { AppError } from '../errors.js';
import { API_SCOPES } from '../security/api-scopes.js';
import type { CliContext } from './context.js';

/** `topic-digest api-tokens …`: bearer tokens for the push API. */
export function registerApiTokenCommands(program: Command, ctx: CliContext): void {
  const tokens = program.command('api-tokens').description('bearer tokens for the push API (/api/v1)');

  tokens
    .command('create')
    .description('create a token; it is printed once and only its hash is stored')
    .requiredOption('--name <name>', 'who uses it, e.g. cms')
    .option('--scopes <list>', `comma-separated scopes (${Object.keys(API_SCOPES).join(', ')})`)
    .action(async (opts: { name: string; scopes?: string }) => {
      const { createApiToken, parseScopes } = await import('../security/api-token.js');
      const scopes = parseScopes(opts.scopes);
      const token = await createApiToken((await ctx.app()).store, opts.name, scopes);
      ctx.print(token);
      process.stderr.write(`token "${opts.name}" (${scopes.join(' ')}) created; copy it now, it is not shown again\n`);
    });

  tokens
    .command('list')
    .description('show tokens (names and scopes; never the tokens)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const list = await (await ctx.app()).store.apiTokens.list();
      if (opts.json) return ctx.print(JSON.stringify(list.map(({ name, scopes, createdAt, lastUsedAt }) => ({ name, scopes, createdAt, lastUsedAt })), null, 2));
      if (list.length === 0) return ctx.print('no tokens; create one with `topic-digest api-tokens create --name cms`');
      for (const t of list) ctx.print(`${t.name}  ${t.scopes.join(' ')}  created ${t.createdAt}  last used ${t.lastUsedAt ?? 'never'}`);
    });

  tokens
    .command('revoke')
    .description('revoke a token at once')
    .argument('<name>', 'the token name')
    .action(async (name: string) => {
      if (!(await (await ctx.app()).store.apiTokens.revoke(name))) {
        throw new AppError('INPUT_INVALID', `no token named "${name}"`, { hint: 'see `topic-digest api-tokens list`' });
      }
      ctx.print(`revoked token "${name}"`);
    });
}
