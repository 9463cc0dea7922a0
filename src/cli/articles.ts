import type { Command } from 'commander';
import { AppError, formatError } from '../errors.js';
import { isHttpUrl } from '../ingest/article-key.js';
import { readDate } from '../ingest/dates.js';
import type { Article } from '../model/article.js';
import type { CliContext } from './context.js';
import { lazyModule } from './lazy.js';

const loadArticleImport = lazyModule(() => import('../ingest/import-articles.js'));
const loadFetchSource = lazyModule(() => import('../ingest/fetch-source.js'));

/** The `articles list --json` shape: stable snake_case fields, nothing internal (no key). */
export function articleToJson(a: Article) {
  return {
    id: a.id,
    url: a.url,
    title: a.title,
    summary: a.summary,
    body: a.body,
    topics: a.topics,
    published_at: a.publishedAt,
    first_seen_at: a.firstSeenAt,
    image: a.image ? { url: a.image.url, caption: a.image.caption, credit: a.image.credit } : null,
    source: a.source,
  };
}

function parseSince(value: string): string {
  const ms = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(ms)) {
    throw new AppError('USAGE', `--since ${value} is not an ISO date`, { hint: 'use e.g. --since 2025-01-21 or --since 2025-01-21T08:00:00Z' });
  }
  return new Date(ms).toISOString();
}

const DATE_FROM = {
  given: 'from --published-at',
  page: 'printed in the page (a caption or the dateline)',
  'import time': 'the import time (the page prints no unambiguous date; pass --published-at to set one)',
} as const;

/** Checks `--url`/`--published-at`: one source only, an http(s) URL and a real ISO time. */
function pageOptions(sources: string[], opts: { url?: string; publishedAt?: string }): { url?: string; publishedAt?: string } | undefined {
  if (!opts.url && !opts.publishedAt) return undefined;
  if (sources.length !== 1) throw new AppError('USAGE', '--url and --published-at describe one page: give exactly one source with them');
  if (opts.url && !isHttpUrl(opts.url)) throw new AppError('USAGE', `--url ${opts.url} is not an http(s) URL`);
  const date = opts.publishedAt ? readDate(opts.publishedAt) : undefined;
  if (date && (!date.ok || !/^\d{4}-\d{2}-\d{2}/.test(opts.publishedAt!))) {
    throw new AppError('USAGE', `--published-at ${opts.publishedAt} is not a real ISO date`, { hint: 'use e.g. --published-at 2025-01-21T08:00:00Z' });
  }
  return { ...(opts.url ? { url: opts.url } : {}), ...(date?.ok ? { publishedAt: date.iso } : {}) };
}

/** `topic-digest articles …` commands. */
export function registerArticleCommands(program: Command, ctx: CliContext): void {
  const articles = program.command('articles').description('stories the digests are made from');

  articles
    .command('import')
    .description('import articles from files (.json, .ndjson/.jsonl, .xml/.rss/.atom, .txt scraped pages) or feed URLs')
    .argument('<sources...>', 'file paths or http(s) URLs')
    .option('--url <url>', 'a scraped page only: the story\'s own link')
    .option('--published-at <iso>', 'a scraped page only: its publication time (else a date printed in the page, else now)')
    .action(async (sources: string[], opts: { url?: string; publishedAt?: string }) => {
      const page = pageOptions(sources, opts);
      const [{ store, config }, { importArticles }, { userAgentFor }] = await Promise.all([ctx.app(), loadArticleImport(), loadFetchSource()]);
      const reports = await importArticles(store, sources, { publicUrl: config.web.publicUrl, userAgent: userAgentFor(config.web.publicUrl), ...(page ? { page } : {}) });
      for (const r of reports) {
        if (r.error) {
          ctx.print(`FAILED  ${r.source}\n${formatError(r.error).replace(/^/gm, '        ')}`);
        } else {
          const untagged = r.untagged > 0 ? `, ${r.untagged} without a topic` : '';
          const same = r.unchanged > 0 ? ` (${r.unchanged} unchanged)` : '';
          ctx.print(`ok      ${r.source} (${r.format}): ${r.inserted} inserted, ${r.updated} updated${same}${untagged}`);
          if (r.dateFrom) ctx.print(`        date: ${DATE_FROM[r.dateFrom]}`);
          for (const w of r.warnings) ctx.print(`warning ${w}`);
        }
      }
      const failed = reports.filter((r) => r.error);
      if (failed.length > 0) {
        throw new AppError(failed[0]!.error!.code, `${failed.length} of ${reports.length} source(s) failed to import`, {
          hint:
            failed.length < reports.length
              ? 'the other sources were imported; fix the failed ones and import just those again'
              : 'fix the sources listed above and import them again',
        });
      }
    });

  articles
    .command('list')
    .description('show stored articles, newest first')
    .option('--topic <slug>', 'only articles with this topic')
    .option('--since <iso>', 'only articles published at or after this time')
    .option('--json', 'print JSON instead of a table')
    .action(async (options: { topic?: string; since?: string; json?: boolean }) => {
      const store = await ctx.store();
      if (options.topic && !(await store.topics.slugs()).has(options.topic)) {
        throw new AppError('TOPIC_UNKNOWN', `no topic "${options.topic}"`, { hint: 'see `topic-digest topics list` for the slugs' });
      }
      const list = await store.articles.list({
        ...(options.topic ? { topic: options.topic } : {}),
        ...(options.since ? { since: parseSince(options.since) } : {}),
      });
      if (options.json) {
        ctx.print(JSON.stringify(list.map(articleToJson), null, 2));
        return;
      }
      if (list.length === 0) {
        ctx.print('no articles match');
        return;
      }
      for (const a of list) {
        const when = a.publishedAt.slice(0, 16).replace('T', ' ');
        const source = a.source ? `  (${a.source})` : '';
        ctx.print(`#${String(a.id).padEnd(5)} ${when}  ${a.title}${source}`);
        ctx.print(`       topics: ${a.topics.join(', ') || '—'}`);
      }
    });
}
