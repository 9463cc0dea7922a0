import type { Command } from 'commander';
import type { PreviewOutcome } from '../preview/preview-digest.js';
import { parseCalendarDate } from '../preview/send-moment.js';
import { normaliseEmailAddress } from '../subscribers/email-address.js';
import type { CliContext } from './context.js';
import { lazyModule } from './lazy.js';

// Building a preview needs the mailer's message builder and the renderer: load them on use.
const loadPreviewParts = lazyModule(() =>
  Promise.all([import('../deliver/create-mailer.js'), import('../deliver/nodemailer-mailer.js'), import('../pipeline/digest-settings.js'), import('../preview/preview-digest.js'), import('../render/personalise.js'), import('../deliver/digest-message.js')]),
);

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
      const [app, [{ senderOptions }, { createMessageBuilder }, { digestSettings }, { previewDigests }, { compilePersonaliser }, { digestEncoder }]] = await Promise.all([ctx.app(), loadPreviewParts()]);
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
