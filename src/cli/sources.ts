import type { Command } from 'commander';
import { MIN_POLL_SECONDS, parseInterval } from '../config.js';
import { AppError } from '../errors.js';
import type { Source } from '../store/source-repository.js';
import type { CliContext } from './context.js';

/** `sources list --json` shape: exactly the documented fields, camelCase (topics show in the table). */
function sourceToJson(s: Source) {
  return {
    id: s.id,
    url: s.url,
    name: s.name,
    every: formatInterval(s.everySeconds),
    lastFetchedAt: s.lastFetchedAt,
    lastStatus: s.lastStatus,
    lastError: s.lastError,
    itemsSeen: s.itemsSeen,
    nextDueAt: s.nextDueAt,
    failures: s.failures,
  };
}

/** 900 → "15m", 5400 → "1h30m". */
export function formatInterval(seconds: number): string {
  const parts: string[] = [];
  let rest = seconds;
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join('') || '0s';
}

function readEvery(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const seconds = parseInterval(value);
  if (seconds === undefined || seconds < MIN_POLL_SECONDS) {
    throw new AppError('USAGE', `--every ${value} is not an interval of at least ${MIN_POLL_SECONDS}s`, { hint: 'use e.g. --every 30s, 15m, 1h or 1h30m' });
  }
  return seconds;
}

/** `topic-digest sources …`: feeds and pages polled on a schedule by `start` (or the `scheduler` role). */
export function registerSourceCommands(program: Command, ctx: CliContext): void {
  const sources = program.command('sources').description('feeds and pages polled on a schedule (by `start`, or the `scheduler` role)');

  sources
    .command('add')
    .description('add a feed (RSS, Atom, JSON Feed) or article page to poll')
    .argument('<url>', 'the feed or page address')
    .option('--name <name>', 'a name to show in lists')
    .option('--topics <slugs>', 'comma-separated topics every item gets, on top of the keyword rules')
    .option('--every <interval>', `how often to poll (e.g. 30s, 15m, 1h; minimum ${MIN_POLL_SECONDS}s; default SOURCE_POLL_EVERY)`)
    .action(async (url: string, opts: { name?: string; topics?: string; every?: string }) => {
      const { checkSourceUrl } = await import('../ingest/poll-sources.js');
      const href = checkSourceUrl(url);
      const everySeconds = readEvery(opts.every, ctx.config().sources.defaultEverySeconds);
      const { store } = await ctx.app();
      const topics = (opts.topics ?? '').split(',').map((t) => t.trim()).filter(Boolean);
      const known = await store.topics.slugs();
      const unknown = topics.filter((t) => !known.has(t));
      if (unknown.length > 0) {
        throw new AppError('TOPIC_UNKNOWN', `no topic ${unknown.map((t) => `"${t}"`).join(', ')}`, { hint: 'use slugs from `topic-digest topics list`' });
      }
      const added = await store.sources.add({ url: href, name: opts.name?.trim() || null, topics, everySeconds }, new Date().toISOString());
      if (!added) throw new AppError('USAGE', `${href} is already a source`, { hint: 'see `topic-digest sources list`; remove it first to change it' });
      ctx.print(`added source #${added.id} ${href}, polled every ${formatInterval(everySeconds)}${topics.length ? `, topics ${topics.join(', ')}` : ''}`);
      ctx.print('it is due now: `topic-digest start` polls it, or run `topic-digest sources poll`');
    });

  sources
    .command('list')
    .description('show each source, how its last poll went and when it is next due')
    .option('--json', 'print JSON instead of a table')
    .action(async (opts: { json?: boolean }) => {
      const list = await (await ctx.app()).store.sources.list();
      if (opts.json) return ctx.print(JSON.stringify(list.map(sourceToJson), null, 2));
      if (list.length === 0) return ctx.print('no sources yet; add one with `topic-digest sources add <url>`');
      for (const s of list) {
        ctx.print(`#${String(s.id).padEnd(4)} ${s.url}${s.name ? `  (${s.name})` : ''}${s.topics.length ? `  topics: ${s.topics.join(', ')}` : ''}`);
        const last = s.lastStatus ? `last ${s.lastStatus} at ${s.lastFetchedAt}` : 'never polled';
        ctx.print(`      every ${formatInterval(s.everySeconds)}, ${last}, ${s.itemsSeen} items, next due ${s.nextDueAt}${s.failures ? `, ${s.failures} failure(s) in a row` : ''}`);
        if (s.lastError) ctx.print(`      error: ${s.lastError}`);
      }
    });

  sources
    .command('remove')
    .description('stop polling a source (its stories stay)')
    .argument('<id|url>', 'the source id or URL')
    .action(async (idOrUrl: string) => {
      const { store } = await ctx.app();
      // Stored URLs are normalised (`https://Example.com` → `https://example.com/`); accept either.
      const found = (await store.sources.find(idOrUrl)) ?? (URL.canParse(idOrUrl) ? await store.sources.find(new URL(idOrUrl).href) : undefined);
      if (!found) throw new AppError('INPUT_INVALID', `no source ${idOrUrl}`, { hint: 'see `topic-digest sources list`' });
      await store.sources.remove(found.id);
      ctx.print(`removed source #${found.id} ${found.url}`);
    });

  sources
    .command('poll')
    .description('poll the due sources (all with --all) once now, print what each did, and exit')
    .option('--all', 'poll every source, due or not')
    .option('--json', 'print JSON')
    .action(async (opts: { all?: boolean; json?: boolean }) => {
      const app = await ctx.app();
      const reports = await app.pollSources({ all: Boolean(opts.all) });
      if (opts.json) return ctx.print(JSON.stringify(reports, null, 2));
      if (reports.length === 0) ctx.print(opts.all ? 'no sources' : 'no source is due (use --all to poll them all now)');
      for (const r of reports) {
        const what = r.error ? `FAILED ${r.status}: ${r.error}` : r.status === '304' ? '304 not modified, nothing written' : `${r.status}: ${r.items} items, ${r.inserted} inserted, ${r.updated} updated`;
        ctx.print(`#${r.id} ${r.url}: ${what}; next due ${r.nextDueAt}`);
        for (const w of r.warnings) ctx.print(`  warning ${w}`);
      }
      if (reports.length > 0 && reports.every((r) => r.error)) {
        throw new AppError('FEED_FETCH_FAILED', `all ${reports.length} source(s) failed`, { hint: 'the errors are kept on each source; see `topic-digest sources list`' });
      }
    });
}
