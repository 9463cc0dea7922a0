import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/env.js';
import { runCliCaptured } from '../../helpers/run-cli.js';

const fixture = (name: string) => new URL(`../../fixtures/pages/${name}.txt`, import.meta.url).pathname;
function envFor() {
  const { dir } = tempDir();
  return { DATABASE_URL: `sqlite:${dir}/t.db`, OUTBOX_DIR: `${dir}/outbox`, SECRET_KEY: 'k'.repeat(40), SEED_SAMPLE_DATA: 'false', LOG_LEVEL: 'silent', PUBLIC_URL: 'https://news.example' };
}
const list = async (env: Record<string, string>) => JSON.parse((await runCliCaptured(['articles', 'list', '--json'], env)).out.join('\n')) as Array<Record<string, any>>;

describe('articles import of a scraped page', () => {
  it('says where the date came from: the page, the import time, or --published-at', async () => {
    const env = envFor();
    const fromPage = await runCliCaptured(['articles', 'import', fixture('two-photos')], env);
    expect(fromPage.out.join('\n')).toContain('date: printed in the page');
    const fromNow = await runCliCaptured(['articles', 'import', fixture('no-photo')], env);
    expect(fromNow.out.join('\n')).toContain('date: the import time');
    const given = await runCliCaptured(['articles', 'import', fixture('dateline-no-date'), '--url', 'https://harbour.example/terminal', '--published-at', '2025-01-12T09:30:00Z'], env);
    expect(given.code, given.err).toBe(0);
    expect(given.out.join('\n')).toContain('date: from --published-at');
    const stored = await list(env);
    expect(stored.find((a) => a.url === 'https://harbour.example/terminal')).toMatchObject({ published_at: '2025-01-12T09:30:00.000Z' });
    expect(stored.find((a) => a.title.startsWith('Flood barriers'))).toMatchObject({ published_at: '2024-10-08T00:00:00.000Z', url: null });
  });

  it('refuses --url/--published-at with several sources, an impossible date, or a non-page source', async () => {
    const env = envFor();
    expect((await runCliCaptured(['articles', 'import', fixture('no-photo'), fixture('standfirst'), '--url', 'https://x.example/'], env)).err).toMatch(/exactly one source/);
    expect((await runCliCaptured(['articles', 'import', fixture('no-photo'), '--published-at', '2025-02-30'], env)).err).toMatch(/not a real ISO date/);
    const notPage = await runCliCaptured(['articles', 'import', 'samples/articles.json', '--url', 'https://x.example/'], env);
    expect(notPage.code).toBe(2);
    expect(notPage.out.join('\n')).toMatch(/apply to a scraped page/);
    expect(await list(env)).toEqual([]);
  });

  it('imports samples/articles.json as a new user would, resolving /static/ images against PUBLIC_URL', async () => {
    const env = envFor();
    const r = await runCliCaptured(['articles', 'import', 'samples/articles.json'], env);
    expect(r.code, r.err).toBe(0);
    const images = (await list(env)).map((a) => a.image?.url).filter(Boolean);
    expect(images.length).toBeGreaterThan(0);
    for (const url of images) expect(url).toMatch(/^https:\/\/news\.example\/static\//);
  });
});
