import { execFile } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { jsonArticle } from '../../helpers/article-fixture.js';
import { tempDir } from '../../helpers/env.js';

const run = promisify(execFile);

/** Packages `--help` must never load: rendering, web, mail, the store, config parsing, logging. */
const NOT_FOR_HELP = ['react', 'react-dom', '@react-email', 'fastify', '@fastify', 'nodemailer', 'kysely', 'better-sqlite3', 'pg', 'zod', 'pino', 'handlebars', 'feedsmith'];
/** Packages `topics list` must never load: it reads the store and prints. */
const NOT_FOR_TOPICS_LIST = ['react', 'react-dom', '@react-email', 'fastify', '@fastify', 'nodemailer', 'handlebars', 'feedsmith', 'cli-progress'];

/** The package names under node_modules/ among recorded module URLs. */
function packagesIn(urls: string[]): Set<string> {
  const names = new Set<string>();
  for (const url of urls) {
    const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    if (m) names.add(m[1]!.startsWith('@') ? m[1]!.split('/')[0]! : m[1]!);
    if (m && m[1]!.startsWith('@')) names.add(m[1]!);
  }
  return names;
}

// Incremental, so cheap when dist/ is current; it makes the dist/ cases test this tree's code.
beforeAll(() => run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json']), 180_000);

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

/** Runs `node bin/topic-digest.js …args` with every resolved module recorded; returns the URLs. */
async function loadedBy(args: string[], env: Record<string, string | undefined>): Promise<{ urls: string[]; stdout: string }> {
  const record = join(dir, `imports-${args.join('-')}.txt`);
  const { stdout } = await run(process.execPath, ['--import', './tests/helpers/record-imports.mjs', 'bin/topic-digest.js', ...args], {
    env: { ...process.env, ...env, RECORD_IMPORTS_TO: record, DATABASE_URL: `sqlite:${join(dir, 'lazy.db')}`, LOG_LEVEL: 'warn' },
  });
  return { urls: readFileSync(record, 'utf8').split('\n').filter(Boolean), stdout };
}

function expectNone(loaded: Set<string>, forbidden: string[]): void {
  expect(forbidden.filter((name) => loaded.has(name))).toEqual([]);
}

describe.each([
  ['src through tsx', '1'],
  ['the built dist/', undefined],
])('lazy commands, running %s', (_, fromSource) => {
  it('--help lists every command group and loads none of the heavy packages', async () => {
    const { urls, stdout } = await loadedBy(['--help'], { TOPIC_DIGEST_FROM_SOURCE: fromSource });
    for (const group of ['start', 'topics', 'articles', 'subscribers', 'send', 'preview', 'deliveries', 'serve', 'worker']) expect(stdout).toContain(group);
    // The recorder saw our own code (a recorder that sees nothing proves nothing).
    expect(urls.some((u) => u.includes(fromSource ? '/src/cli/index.ts' : '/dist/src/cli/index.js'))).toBe(true);
    expect(packagesIn(urls).has('commander')).toBe(true);
    expectNone(packagesIn(urls), NOT_FOR_HELP);
  }, 60_000);

  it('topics list reads the store without React, Fastify or the mailer', async () => {
    const { urls, stdout } = await loadedBy(['topics', 'list'], { TOPIC_DIGEST_FROM_SOURCE: fromSource });
    expect(stdout).toMatch(/^world\s+World/m);
    const loaded = packagesIn(urls);
    expect(loaded.has('kysely')).toBe(true);
    expectNone(loaded, NOT_FOR_TOPICS_LIST);
  }, 60_000);

  it.each([['articles'], ['subscribers'], ['deliveries']])('%s list reads the store alone too', async (group) => {
    const { urls, stdout } = await loadedBy([group, 'list'], { TOPIC_DIGEST_FROM_SOURCE: fromSource });
    expect(stdout).toMatch(/no articles match|0 subscriber\(s\)|0 row\(s\)/);
    expectNone(packagesIn(urls), NOT_FOR_TOPICS_LIST);
  }, 60_000);
});

describe('the built dist/', () => {
  it('finds templates/ and the compiled emails/ when it renders a preview', async () => {
    const env = { ...process.env, TOPIC_DIGEST_FROM_SOURCE: undefined, DATABASE_URL: `sqlite:${join(dir, 'dist.db')}`, LOG_LEVEL: 'warn', SECRET_KEY: 'k'.repeat(40) };
    const cli = (...args: string[]) => run(process.execPath, ['bin/topic-digest.js', ...args], { env });
    const articles = join(dir, 'articles.json');
    writeFileSync(articles, JSON.stringify([jsonArticle({ published_at: new Date(Date.now() - 3_600_000).toISOString() })]));
    await cli('articles', 'import', articles);
    await cli('subscribers', 'add', 'reader@example.com', '--topics', 'world,business,sport,tech');
    const out = join(dir, 'previews');
    const { stdout } = await cli('preview', '--out', out);
    expect(stdout).toContain('subject:');
    const files = readdirSync(out);
    const html = files.find((f) => f.endsWith('.html'));
    const text = files.find((f) => f.endsWith('.txt'));
    // The HTML comes from the compiled emails/DigestEmail.js, the text part from templates/digest.txt.hbs.
    expect(readFileSync(join(out, html!), 'utf8')).toMatch(/<html[\s\S]*Council approves new tram line/);
    expect(readFileSync(join(out, text!), 'utf8')).toMatch(/Council approves new tram line[\s\S]*unsubscribe/i);
  }, 120_000);
});
