import type { Command } from 'commander';
import { AppError } from '../errors.js';
import type { CliContext } from './context.js';
import { lazyModule } from './lazy.js';

const loadAdmin = lazyModule(() => import('../deliver/webhook-admin.js'));

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
      const { addWebhook } = await loadAdmin();
      const { webhook, secret, generated } = await addWebhook((await ctx.app()).store, { url: raw, events: opts.events.split(','), secret: opts.secret }, new Date());
      ctx.print(`webhook ${webhook.id}: ${webhook.url} (${webhook.events.join(', ')})`);
      if (generated) ctx.print(`secret: ${secret}\ncopy the secret now to verify signatures; it is not shown again`);
    });

  hooks
    .command('list')
    .description('show endpoints and their events (never their secrets)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const list = await (await loadAdmin()).listWebhooks((await ctx.app()).store);
      if (opts.json) return ctx.print(JSON.stringify(list, null, 2));
      if (list.length === 0) return ctx.print('no webhooks; add one with `topic-digest webhooks add <url> --events subscriber.created`');
      for (const h of list) {
        ctx.print(`${h.id}  ${h.url}  ${h.events.join(',')}  created ${h.createdAt}  last success ${h.lastSuccessAt ?? 'never'}  last failure ${h.lastFailureAt ?? 'never'}  waiting ${h.pending}`);
      }
    });

  hooks
    .command('remove')
    .description('remove an endpoint and its delivery log')
    .argument('<id-or-url>', 'the id from `webhooks list`, or the URL')
    .action(async (which: string) => {
      await (await loadAdmin()).removeWebhook((await ctx.app()).store, which);
      ctx.print(`removed webhook ${which}`);
    });

  hooks
    .command('log')
    .description('recent deliveries, newest first: status, attempts, last answer')
    .argument('[id]', 'only this webhook')
    .option('--limit <n>', 'how many', '50')
    .option('--attempts', 'one line per attempt instead: time, number, status code or error, next retry (needs the webhook id)')
    .option('--json', 'print JSON')
    .action(async (id: string | undefined, opts: { limit: string; attempts?: boolean; json?: boolean }) => {
      const store = (await ctx.app()).store;
      const limit = Math.max(1, Number(opts.limit) || 50);
      if (opts.attempts) {
        if (id === undefined || !/^\d{1,15}$/.test(id)) throw new AppError('INPUT_INVALID', '--attempts needs a webhook id', { hint: 'e.g. `topic-digest webhooks log 1 --attempts`' });
        const attempts = await store.webhooks.attempts(Number(id), limit);
        if (opts.json) return ctx.print(JSON.stringify(attempts, null, 2));
        if (attempts.length === 0) return ctx.print('no attempts yet');
        for (const a of attempts) ctx.print(`${a.attemptedAt}  delivery ${a.deliveryId}  ${a.eventType}  attempt ${a.attempt}  ${a.error ?? `${a.httpStatus} OK`}  next ${a.nextAttemptAt ?? '-'}`);
        return;
      }
      const log = await store.webhooks.log(id === undefined ? undefined : Number(id), limit);
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
      if (!/^\d{1,15}$/.test(raw)) throw new AppError('INPUT_INVALID', `no webhook delivery ${raw}`, { hint: 'see `topic-digest webhooks log`' });
      await (await loadAdmin()).resendWebhookDelivery(app.store, Number(raw), new Date());
      app.webhookSender.kick();
      await app.webhookSender.idle();
      const d = await app.store.webhooks.get(Number(raw));
      ctx.print(`delivery ${raw}: ${d?.status ?? 'queued'}${d?.lastError ? ` (${d.lastError})` : ''}`);
    });
}
