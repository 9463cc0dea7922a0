import type { Command } from 'commander';
import { senderOptions } from '../deliver/create-mailer.js';
import { digestEncoder } from '../deliver/digest-message.js';
import { createMessageBuilder } from '../deliver/nodemailer-mailer.js';
import { digestSettings } from '../pipeline/digest-settings.js';
import { previewDigests, type PreviewOutcome } from '../preview/preview-digest.js';
import { parseCalendarDate } from '../preview/send-moment.js';
import { compilePersonaliser } from '../render/personalise.js';
import { normaliseEmailAddress } from '../subscribers/email-address.js';
import type { CliContext } from './context.js';

function printOutcome(ctx: CliContext, o: PreviewOutcome, showTopics: boolean): void {
  ctx.print(`${o.email}  ${o.localDate}${showTopics ? `  topics: ${o.topics.join(', ')}` : ''}`);
  if (!o.digest) {
    ctx.print(`  no digest: ${o.reason}`);
    return;
  }
  const d = o.digest;
  ctx.print(`  subject: ${d.subject}`);
  ctx.print(`  ${d.sections.length} section(s), ${d.articles} article(s): ${d.sections.map((s) => `${s.topic} ${s.articles}`).join(', ')}`);
  for (const file of [d.files.html, d.files.text, d.files.eml]) ctx.print(`  ${file}`);
}

/** `topic-digest preview`: writes the digest a reader would get as .html, .txt and .eml; sends and records nothing. */
export function registerPreviewCommand(program: Command, ctx: CliContext): void {
  program
    .command('preview')
    .description('write the digest a reader would get (from the real store) as .html, .txt and .eml files; sends nothing, records nothing')
    .option('--subscriber <email>', 'this reader; default: one preview per distinct topic set among active readers')
    .option('--date <YYYY-MM-DD>', 'as of DIGEST_SEND_TIME on that local date; default: as of right now')
    .option('--out <dir>', 'folder for the files', 'previews')
    .action(async (opts: { subscriber?: string; date?: string; out: string }) => {
      const date = opts.date === undefined ? undefined : parseCalendarDate(opts.date);
      const app = await ctx.app();
      const deps = {
        store: app.store,
        settings: digestSettings(app.config),
        renderer: app.renderer,
        compilePersonaliser,
        links: app.links,
        buildMessage: await createMessageBuilder(senderOptions(app.config)),
        ...(app.mailer.encoded ? { encodeDigest: digestEncoder(app.mailer.encoded, app.config.mail.from) } : {}),
      };
      const outcomes = await previewDigests(deps, {
        outDir: opts.out,
        ...(opts.subscriber ? { email: normaliseEmailAddress(opts.subscriber) } : {}),
        ...(date ? { date } : {}),
      });
      if (outcomes.length === 0) ctx.print('no active subscribers to preview; add some with `topic-digest subscribers import <file>`');
      for (const o of outcomes) printOutcome(ctx, o, !opts.subscriber);
    });
}
