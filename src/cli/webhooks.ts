import type { Command } from 'commander';
import { AppError } from '../errors.js';
import type { CliContext } from './context.js';
import { lazyModule } from './lazy.js';

const loadEvents = lazyModule(() => import('../deliver/webhook-events.js'));

/** Reads a URL the sender can post to: http or https, absolute. */
function webhookUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new AppError('INPUT_INVALID', `"${raw}" is not a URL`, { hint: 'give the full address, e.g. https://hooks.example.com/topic-digest' });
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new AppError('INPUT_INVALID', `webhook URLs must be http or https, not ${u.protocol}`);
  return u.href;
}

/** `topic-digest webhooks …`: outbound webhooks, signed per Standard Webhooks. */
export function registerWebhookCommands(program: Command, ctx: CliContext): void {
  const hooks = program.command('webhooks').description('outbound webhooks: other systems hear about subscribers, runs and sources');

  hooks
    .command('add')
    .description('register an endpoint; a secret is generated (and printed once) unless given')
    .argument('<url>', 'where events are POSTed')
    .requiredOption('--events <list>', 'comma-separated events, e.g. subscriber.created,digest.run.completed')
    .option('--secret <whsec>', 'the signing secret, whsec_ and base64 of 24-64 bytes')
    .action(async (raw: string, opts: { events: string; secret?: string }) => {
      const { parseWebhookEvents, isWebhookSecret, newWebhookSecret, WEBHOOK_EVENTS } = await loadEvents();
      const url = webhookUrl(raw);
      const events = parseWebhookEvents(opts.events);
      if (!Array.isArray(events)) {
        throw new AppError('INPUT_INVALID', events.unknown.length ? `unknown events: ${events.unknown.join(', ')}` : 'no events given', { hint: `choose from ${WEBHOOK_EVENTS.join(', ')}` });
      }
      if (opts.secret !== undefined && !isWebhookSecret(opts.secret)) {
        throw new AppError('INPUT_INVALID', 'the secret is not a Standard Webhooks secret', { hint: 'use whsec_ followed by base64 of 24 to 64 random bytes, or leave --secret out to have one made' });
      }
      const secret = opts.secret ?? newWebhookSecret();
      const hook = await (await ctx.app()).store.webhooks.add(url, events, secret, new Date().toISOString());
      if (!hook) throw new AppError('INPUT_INVALID', `${url} is already a webhook`, { hint: 'remove it first to change its events or secret' });
      ctx.print(`webhook ${hook.id}: ${url} (${events.join(', ')})`);
      if (!opts.secret) ctx.print(`secret: ${secret}\ncopy the secret now to verify signatures; it is not shown again`);
    });

  hooks
    .command('list')
    .description('show endpoints and their events (never their secrets)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const list = (await (await ctx.app()).store.webhooks.list()).map(({ id, url, events, createdAt }) => ({ id, url, events, createdAt }));
      if (opts.json) return ctx.print(JSON.stringify(list, null, 2));
      if (list.length === 0) return ctx.print('no webhooks; add one with `topic-digest webhooks add <url> --events subscriber.created`');
      for (const h of list) ctx.print(`${h.id}  ${h.url}  ${h.events.join(',')}  created ${h.createdAt}`);
    });

  hooks
    .command('remove')
    .description('remove an endpoint and its delivery log')
    .argument('<id-or-url>', 'the id from `webhooks list`, or the URL')
    .action(async (which: string) => {
      if (!(await (await ctx.app()).store.webhooks.remove(which))) throw new AppError('INPUT_INVALID', `no webhook ${which}`, { hint: 'see `topic-digest webhooks list`' });
      ctx.print(`removed webhook ${which}`);
    });

  hooks
    .command('log')
    .description('recent deliveries, newest first: status, attempts, last answer')
    .argument('[id]', 'only this webhook')
    .option('--limit <n>', 'how many', '50')
    .option('--json', 'print JSON')
    .action(async (id: string | undefined, opts: { limit: string; json?: boolean }) => {
      const log = await (await ctx.app()).store.webhooks.log(id === undefined ? undefined : Number(id), Math.max(1, Number(opts.limit) || 50));
      if (opts.json) return ctx.print(JSON.stringify(log.map(({ payload: _p, ...d }) => d), null, 2));
      if (log.length === 0) return ctx.print('no webhook deliveries yet');
      for (const d of log) {
        ctx.print(`${d.id}  webhook ${d.webhookId}  ${d.eventType}  ${d.status}  attempts ${d.attempts}  last ${d.lastStatus ?? '-'}${d.lastError ? ` (${d.lastError})` : ''}  ${d.createdAt}`);
      }
    });

  hooks
    .command('resend')
    .description('send a delivery again now (same webhook-id, so receivers can tell it is a repeat)')
    .argument('<delivery-id>', 'from `webhooks log`')
    .action(async (raw: string) => {
      const app = await ctx.app();
      if (!/^\d+$/.test(raw) || !(await app.store.webhooks.resend(Number(raw), new Date().toISOString()))) {
        throw new AppError('INPUT_INVALID', `no webhook delivery ${raw}`, { hint: 'see `topic-digest webhooks log`' });
      }
      app.webhookSender.kick();
      await app.webhookSender.idle();
      const d = await app.store.webhooks.get(Number(raw));
      ctx.print(`delivery ${raw}: ${d?.status ?? 'queued'}${d?.lastError ? ` (${d.lastError})` : ''}`);
    });
}
