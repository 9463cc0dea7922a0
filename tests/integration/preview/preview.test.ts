import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config.js';
import { silentLogger } from '../../../src/logger.js';
import { createApp, type App } from '../../../src/main.js';
import { seedSampleData } from '../../../src/seed/seed-sample-data.js';
import { tempDir } from '../../helpers/env.js';
import { runCliCaptured } from '../../helpers/run-cli.js';

/**
 * `topic-digest preview` against a real SQLite store filled by the first-run seeder. The seed is
 * stamped at a fixed instant, so `--date` decides deterministically what falls in the window.
 */

const SEEDED_AT = new Date('2026-11-26T19:00:00Z'); // before 07:00 on 27 Nov in every sample zone, Sydney's 20:00Z included
const MEI = 'mei.lin@example.com'; // Asia/Singapore: 07:00 on 27 Nov is 26 Nov 23:00Z, after the seed
const DANA = 'dana.rivera@example.com'; // America/New_York: 07:00 on 26 Nov is 12:00Z, before it

let dir: string;
let out: string;
let cleanup: () => void;
let env: Record<string, string>;

async function withApp<T>(fn: (app: App) => Promise<T>): Promise<T> {
  const app = await createApp(parseConfig(env), { logger: silentLogger });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

const preview = (...args: string[]) => runCliCaptured(['preview', '--out', out, ...args], env);

beforeEach(async () => {
  ({ dir, cleanup } = tempDir('td-preview-'));
  out = join(dir, 'previews');
  env = {
    DATABASE_URL: `sqlite:${join(dir, 'preview.db')}`,
    OUTBOX_DIR: join(dir, 'outbox'),
    LOG_LEVEL: 'silent',
    SECRET_KEY: 'preview-test-secret-key-0123456789abcdef',
    PUBLIC_URL: 'https://digest.example.com',
    MAIL_FROM: 'Morning Brief <brief@news.example.com>',
    DIGEST_SEND_TIME: '07:00',
  };
  await withApp((app) => seedSampleData(app, { now: SEEDED_AT }));
});
afterEach(() => cleanup());

describe('topic-digest preview --subscriber', () => {
  it('writes .html, .txt and .eml of the reader’s digest and prints subject, counts and paths', async () => {
    const r = await preview('--subscriber', MEI, '--date', '2026-11-27');
    expect(r.code, r.err).toBe(0);
    const stem = join(out, `${MEI}-2026-11-27`);
    for (const ext of ['html', 'txt', 'eml']) expect(existsSync(`${stem}.${ext}`), ext).toBe(true);
    const printed = r.out.join('\n');
    expect(printed).toMatch(/subject: Your daily digest, Friday 27 November: /);
    expect(printed).toMatch(/3 section\(s\), 7 article\(s\): Asia 2, Singapore 2, Business 3/);
    expect(printed).toContain(`${stem}.html`);
    expect(printed).toContain(`${stem}.eml`);

    const html = readFileSync(`${stem}.html`, 'utf8');
    expect(html).toContain('New MRT stretch draws weekend crowds on its first two days');
    expect(html).toContain('src="https://digest.example.com/static/rail-platform.png"');
    expect(html).toContain('Hello Mei Lin,');
    expect(html).not.toContain('%%td:');
    expect(readFileSync(`${stem}.txt`, 'utf8')).toContain('HDB resale prices flatten for the first time in three years');
  });

  it('builds the .eml as a send would: parts, personal links and one-click List-Unsubscribe', async () => {
    await preview('--subscriber', MEI, '--date', '2026-11-27');
    const parsed = await simpleParser(readFileSync(join(out, `${MEI}-2026-11-27.eml`)));
    expect(parsed.subject).toMatch(/^Your daily digest, Friday 27 November/);
    expect(parsed.to && 'text' in parsed.to ? parsed.to.text : '').toContain(MEI);
    expect(parsed.text).toContain('New MRT stretch draws weekend crowds');
    expect(parsed.html).toContain('New MRT stretch draws weekend crowds');
    // mailparser folds List-* headers together, so the raw lines are what to check.
    const raw = new Map(parsed.headerLines.map((h) => [h.key, h.line]));
    expect(raw.get('list-unsubscribe')).toMatch(/<https:\/\/digest\.example\.com\/unsubscribe\/[^>]+>/);
    expect(raw.get('list-unsubscribe')).toContain('<mailto:brief@news.example.com?subject=unsubscribe>');
    expect(raw.get('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(parsed.messageId).toMatch(/@news\.example\.com>$/);
  });

  it('shows the same subject a dry-run send plans for that reader', async () => {
    // Both plan "now"; --date would move the preview's clock, so neither is given here.
    const reseeded = tempDir('td-preview-now-');
    try {
      const nowEnv = { ...env, DATABASE_URL: `sqlite:${join(reseeded.dir, 'now.db')}` };
      const app = await createApp(parseConfig(nowEnv), { logger: silentLogger });
      await seedSampleData(app).finally(() => app.close());
      const p = await runCliCaptured(['preview', '--out', out, '--subscriber', MEI], nowEnv);
      const d = await runCliCaptured(['send', '--dry-run', '--only', MEI], nowEnv);
      expect(p.code, p.err).toBe(0);
      expect(d.code, d.err).toBe(0);
      const subject = /subject: (.*)$/m.exec(p.out.join('\n'))?.[1];
      expect(subject).toMatch(/^Your daily digest, /);
      expect(d.out.join('\n')).toContain(subject!);
    } finally {
      reseeded.cleanup();
    }
  });

  it('plans as of the send time in the reader’s own timezone on --date', async () => {
    const before = await preview('--subscriber', DANA, '--date', '2026-11-26');
    expect(before.code).toBe(0);
    expect(before.out.join('\n')).toMatch(/no digest: nothing new on their topics between .* and 2026-11-26T12:00:00.000Z/);
    const after = await preview('--subscriber', DANA, '--date', '2026-11-27');
    expect(after.out.join('\n')).toMatch(/US politics 2, Tech 3, Opinion 1/);
    expect(existsSync(join(out, `${DANA}-2026-11-27.eml`))).toBe(true);
    expect(existsSync(join(out, `${DANA}-2026-11-26.eml`))).toBe(false);
  });

  it('writes no ledger rows and no editions', async () => {
    await preview('--subscriber', MEI, '--date', '2026-11-27');
    await preview('--date', '2026-11-27');
    await withApp(async (app) => {
      expect(Object.values(await app.store.deliveries.countByStatus()).every((n) => n === 0)).toBe(true);
      const count = async (table: 'editions' | 'deliveries') =>
        Number((await app.store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      expect(await count('editions')).toBe(0);
      expect(await count('deliveries')).toBe(0);
    });
    // …so a real send afterwards still owes Mei her digest.
    const sent = await runCliCaptured(['send', '--dry-run', '--only', MEI, '--now', '2026-11-26T23:00:00Z'], env);
    expect(sent.out.join('\n')).toMatch(/planned=1/);
  });

  it('rejects an unknown reader and a bad date', async () => {
    const unknown = await preview('--subscriber', 'nobody@example.com');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('SUBSCRIBER_NOT_FOUND');
    const bad = await preview('--subscriber', MEI, '--date', '2026-02-30');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--date "2026-02-30" is not a calendar date/);
  });
});

describe('topic-digest preview without --subscriber', () => {
  it('writes one preview per distinct topic set, named after its first reader', async () => {
    // A second reader with Mei's topics (in another order) shares her preview.
    await withApp((app) =>
      app.store.subscribers.upsert({ email: 'twin@example.com', name: null, timezone: 'Asia/Singapore', topics: ['business', 'singapore', 'asia'], status: 'active' }, SEEDED_AT.toISOString()),
    );
    const r = await preview('--date', '2026-11-27');
    expect(r.code, r.err).toBe(0);
    const emls = readdirSync(out).filter((f) => f.endsWith('.eml')).sort();
    expect(emls).toHaveLength(6);
    expect(emls).toContain(`${MEI}-2026-11-27.eml`);
    expect(emls.some((f) => f.startsWith('twin@'))).toBe(false);
    const printed = r.out.join('\n');
    expect(printed).toContain(`${MEI}  2026-11-27  topics: `);
    expect(printed).toContain('sam.okafor@example.com  2026-11-27  topics: sport');
  });
});
