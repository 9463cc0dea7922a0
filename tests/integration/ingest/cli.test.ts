import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../src/cli/index.js';
import { jsonArticle } from '../../helpers/article-fixture.js';
import { databasePerTest, testDialects } from '../../helpers/dialects.js';
import { tempDir } from '../../helpers/env.js';
import { fictionalStory } from '../../helpers/scraped-page-fixture.js';

let dir: string;
let cleanup: () => void;
let env: Record<string, string>;

beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  env = { DATABASE_URL: `sqlite:${join(dir, 'cli.db')}`, SECRET_KEY: 'cli-test-secret-key-that-is-long-enough-0123', LOG_LEVEL: 'silent' };
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => {
  vi.restoreAllMocks();
  cleanup();
});

async function cli(...args: string[]): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const code = await runCli(['node', 'topic-digest', ...args], { env, print: (l) => out.push(l) });
  return { code, out };
}

describe.each(testDialects())('topic-digest articles on %s', (dialect) => {
  const database = databasePerTest(dialect);
  beforeEach(async () => {
    env.DATABASE_URL = await database.cleanUrl(dir);
  });

  it('imports, then lists as JSON with exactly the documented fields', async () => {
    const page = join(dir, 'story.txt');
    writeFileSync(page, fictionalStory());
    const imported = await cli('articles', 'import', page);
    expect(imported.code).toBe(0);
    expect(imported.out).toEqual([`ok      ${page} (scraped-page): 1 inserted, 0 updated`, '        date: printed in the page (a caption or the dateline)']);

    const again = await cli('articles', 'import', page);
    expect(again.out[0]).toContain('0 inserted, 1 updated');

    const listed = await cli('articles', 'list', '--json');
    expect(listed.code).toBe(0);
    const rows = JSON.parse(listed.out.join('\n')) as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0]!).sort()).toEqual(['body', 'first_seen_at', 'id', 'image', 'published_at', 'source', 'summary', 'title', 'topics', 'url'].sort());
    expect(rows[0]).toMatchObject({
      id: 1,
      url: null,
      title: 'Harbour city opens floating solar farm as heatwave grips region',
      topics: ['climate'],
      image: { url: null, caption: expect.stringContaining('Engineers'), credit: 'Lena Marsh/Pool via REUTERS' },
      source: 'REUTERS',
    });
    expect(Object.keys(rows[0]!.image as object)).toEqual(['url', 'caption', 'credit']);
  });

  it('exits non-zero when a source fails, after importing the others', async () => {
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify([jsonArticle({ topics: ['sport'] })]));
    const run = await cli('articles', 'import', good, join(dir, 'missing.ndjson'));
    expect(run.code).toBe(1);
    expect(run.out[0]).toMatch(/^ok .*good\.json \(json\): 1 inserted/);
    expect(run.out[1]).toMatch(/^FAILED .*missing\.ndjson\n.*INPUT_UNREADABLE/);

    const bySport = await cli('articles', 'list', '--topic', 'sport');
    expect(bySport.out.join('\n')).toContain('Council approves new tram line');
    expect((await cli('articles', 'list', '--topic', 'sport', '--since', '2030-01-01')).out).toEqual(['no articles match']);
    expect((await cli('articles', 'list', '--topic', 'knitting')).code).toBe(1);
    expect((await cli('articles', 'list', '--since', 'last week')).code).toBe(2);
  });
});

describe.each(testDialects())('topic-digest topics on %s', (dialect) => {
  const database = databasePerTest(dialect);
  beforeEach(async () => {
    env.DATABASE_URL = await database.cleanUrl(dir);
  });

  it('imports a topic file and lists it', async () => {
    const file = join(dir, 'topics.json');
    writeFileSync(file, JSON.stringify([{ slug: 'space', name: 'Space', keywords: ['NASA'] }]));
    expect((await cli('topics', 'import', file)).out).toEqual([`${file}: 1 added, 0 updated`]);
    const list = await cli('topics', 'list', '--json');
    const topics = JSON.parse(list.out.join('\n')) as Array<{ slug: string }>;
    expect(topics.at(-1)).toEqual({ slug: 'space', name: 'Space', description: null, keywords: ['NASA'], position: topics.length - 1 });
    expect((await cli('topics', 'list')).out.at(-1)).toMatch(/^space\s+Space {2}\[NASA\]$/);
  });
});
