import { writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createVerp } from '../../src/feedback/verp.js';
import { silentLogger } from '../../src/logger.js';
import { createApp } from '../../src/main.js';
import { seedWorld } from '../helpers/digest-world.js';
import { tempDir, testConfig } from '../helpers/env.js';
import { arf, dsn } from '../helpers/feedback-reports.js';
import { runCliCaptured } from '../helpers/run-cli.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';

const NOW = '2026-11-20T08:00:00.000Z';
const SECRET = 's'.repeat(40);

describe('bounces come back: VERP envelope, feedback process, suppressions, stats', () => {
  let sink: SmtpSink;
  afterEach(async () => sink?.close());

  async function world(extra: Record<string, string> = {}) {
    sink = await startSmtpSink();
    const { dir } = tempDir();
    const env = { DATABASE_URL: `sqlite:${dir}/cli.db`, SMTP_URL: sink.url, SECRET_KEY: SECRET, LOG_LEVEL: 'silent', MAIL_FROM: 'Brief <brief@news.example.com>', ...extra };
    const app = await createApp(testConfig(dir, env), { logger: silentLogger });
    await seedWorld(app, new Date(NOW), {
      articles: [{ title: 'Ceasefire talks resume', topics: ['ukraine-war'] }],
      readers: ['ann@example.com', 'bo@example.com', 'cy@example.com'].map((email) => ({ email, topics: ['ukraine-war'] })),
    });
    await app.close();
    return { env, dir };
  }

  it('without BOUNCE_ADDRESS the envelope sender is the MAIL_FROM address', async () => {
    const { env } = await world();
    expect((await runCliCaptured(['send', '--now', NOW], env)).code).toBe(0);
    expect(sink.messages).toHaveLength(3);
    for (const m of sink.messages) expect(m.from).toBe('brief@news.example.com');
  });

  it('with BOUNCE_ADDRESS each digest has its own signed VERP envelope sender, and a bounce to it stops the next digest', async () => {
    const { env, dir } = await world({ BOUNCE_ADDRESS: 'bounces@news.example.com' });
    expect((await runCliCaptured(['send', '--now', NOW], env)).code).toBe(0);
    const verp = createVerp('bounces@news.example.com', SECRET);
    const senders = new Map(sink.messages.map((m) => [m.to[0]!, m.from]));
    expect(new Set(senders.values()).size).toBe(3);
    for (const from of senders.values()) {
      expect(from).toMatch(/^bounces\+[0-9a-z]+-[0-9a-f]{12}@news\.example\.com$/);
      expect(verp.deliveryIdIn([from])).toBeTypeOf('number');
    }
    // The From header is unchanged: only the envelope carries the token.
    expect(sink.messages[0]!.parsed.from?.value[0]?.address).toBe('brief@news.example.com');

    const bounce = join(dir, 'bounce.eml');
    writeFileSync(bounce, dsn({ to: senders.get('bo@example.com')!, recipient: 'bo@example.com', status: '5.1.1' }));
    const complaint = join(dir, 'complaint.eml');
    writeFileSync(complaint, arf({ to: 'fbl@news.example.com', recipient: 'cy@example.com', messageId: sink.to('cy@example.com')[0]!.parsed.messageId! }));
    const processed = await runCliCaptured(['feedback', 'process', bounce, complaint], { ...env, LOG_LEVEL: 'warn' });
    expect(processed.code, processed.err).toBe(0);
    // One bounce and one complaint out of three sent: both rates are far over their thresholds.
    const warning = processed.err.split('\n').find((l) => l.includes('sending reputation at risk'));
    expect(warning).toMatch(/"level":40/);
    expect(warning).toMatch(/sending reputation at risk on \d{4}-\d{2}-\d{2}: bounce rate 33\.33% is over 2%; complaint rate 33\.33% is over 0\.1%/);
    expect(processed.out[0]).toMatch(/bounce\.eml\thard\tbo@example\.com\tbounced\t5\.1\.1/);
    expect(processed.out[1]).toMatch(/complaint\.eml\tcomplaint\tcy@example\.com\tunsubscribed/);
    // Processing the same files again changes nothing.
    const again = await runCliCaptured(['feedback', 'process', bounce, complaint], env);
    expect(again.out.every((l) => l.includes('\tduplicate\t'))).toBe(true);

    const list = await runCliCaptured(['deliveries', 'list'], env);
    expect(list.out.join('\n')).toMatch(/bo@example\.com\t[^\n]*\thard bounce .*5\.1\.1/);
    expect(list.out.join('\n')).toMatch(/cy@example\.com\t[^\n]*\tcomplaint /);
    const sup = await runCliCaptured(['suppressions', 'list', '--json'], env);
    expect(JSON.parse(sup.out.join('\n')).map((s: { email: string; reason: string }) => `${s.email}:${s.reason}`).sort()).toEqual(['bo@example.com:hard-bounce', 'cy@example.com:complaint']);

    const stats = await runCliCaptured(['deliveries', 'stats', '--days', '3', '--json'], { ...env });
    const rows = JSON.parse(stats.out.join('\n')) as { day: string; sent: number; hardBounces: number; complaints: number; bounceRate: number; warnings: string[] }[];
    expect(rows).toHaveLength(3);
    const total = rows.reduce((a, r) => ({ sent: a.sent + r.sent, hard: a.hard + r.hardBounces, complaints: a.complaints + r.complaints }), { sent: 0, hard: 0, complaints: 0 });
    expect(total).toEqual({ sent: 3, hard: 1, complaints: 1 });
    expect(rows.find((r) => r.sent === 3)!.warnings.join(' ')).toMatch(/bounce rate 33\.33% is over 2%.*complaint rate/);

    // The next day, only ann is still a reader the planner looks at.
    const next = await runCliCaptured(['send', '--now', '2026-11-21T08:00:00.000Z', '--dry-run'], env);
    expect(next.code, next.err).toBe(0);
    expect(next.out.join('\n')).toMatch(/ann@example\.com/);
    expect(next.out.join('\n')).not.toMatch(/bo@example\.com|cy@example\.com/);
  });

  it('a message it cannot make sense of exits 0; a missing file is reported and exits non-zero', async () => {
    const { env, dir } = await world();
    const junk = join(dir, 'junk.eml');
    writeFileSync(junk, 'not a mail at all');
    const ok = await runCliCaptured(['feedback', 'process', junk], env);
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out[0]).toMatch(/\tignored\t-\tnone\tnot a bounce/);
    const missing = await runCliCaptured(['feedback', 'process', join(dir, 'nope.eml'), junk], env);
    expect(missing.code).not.toBe(0);
    expect(missing.err).toMatch(/could not read 1 input/);
  });

  it('suppressions add/remove by hand, and a store that cannot be written exits 75 so the MTA retries', async () => {
    const { env, dir } = await world();
    expect((await runCliCaptured(['suppressions', 'add', 'Ann@Example.com', '--reason', 'asked by phone'], env)).out[0]).toBe('suppressed Ann@example.com');
    const listed = await runCliCaptured(['suppressions', 'list'], env);
    expect(listed.out[0]).toMatch(/manual\s*\tann@example\.com\tasked by phone/);
    expect((await runCliCaptured(['send', '--now', NOW], env)).code).toBe(0);
    expect(sink.messages.map((m) => m.to[0]).sort()).toEqual(['bo@example.com', 'cy@example.com']);
    expect((await runCliCaptured(['suppressions', 'remove', 'ann@example.com'], env)).code).toBe(0);
    expect((await runCliCaptured(['suppressions', 'remove', 'ann@example.com'], env)).code).not.toBe(0);
    expect((await runCliCaptured(['suppressions', 'add', 'not-an-address'], env)).code).toBe(2);

    const bounce = join(dir, 'b.eml');
    writeFileSync(bounce, dsn({ to: 'bounces@news.example.com', recipient: 'ann@example.com' }));
    // A store that refuses the write (here: its events table is gone) must not swallow the report.
    const db = new Database(join(dir, 'cli.db'));
    db.exec('DROP TABLE feedback_events');
    db.close();
    const failed = await runCliCaptured(['feedback', 'process', bounce], env);
    expect(failed.code).toBe(75);
    expect(failed.err).toMatch(/could not store the result of 1 message/);
    expect(failed.err).not.toMatch(/\n\s+at /);
  });
});

describe('a suppression added after planning', () => {
  it('skips the planned digest instead of sending it', async () => {
    const sink = await startSmtpSink();
    const { dir } = tempDir();
    const env = { DATABASE_URL: `sqlite:${dir}/late.db`, SMTP_URL: sink.url, SECRET_KEY: SECRET, LOG_LEVEL: 'silent' };
    try {
      const app = await createApp(testConfig(dir, env), { logger: silentLogger });
      await seedWorld(app, new Date(NOW), {
        articles: [{ title: 'Harbour reopens', topics: ['ukraine-war'] }],
        readers: [{ email: 'late@example.com', topics: ['ukraine-war'] }, { email: 'ok@example.com', topics: ['ukraine-war'] }],
      });
      await app.runDigest({ now: new Date(NOW), planOnly: true });
      await app.store.suppressions.add('LATE@example.com', 'manual', null, NOW);
      const summary = await app.runDigest({ now: new Date(NOW), sendOnly: true });
      expect(summary.sent).toBe(1);
      expect(sink.messages.map((m) => m.to[0])).toEqual(['ok@example.com']);
      expect((await app.store.deliveries.list()).find((r) => r.email === 'late@example.com')).toMatchObject({ status: 'skipped', reason: 'suppressed' });
      await app.close();
    } finally {
      await sink.close();
    }
  });
});

describe('feedback process reading stdin, as a Postfix pipe runs it', () => {
  it('reads one message from "-", with the envelope recipient given by --recipient', async () => {
    const { spawnSync } = await import('node:child_process');
    const { dir } = tempDir();
    const env = { DATABASE_URL: `sqlite:${dir}/pipe.db`, SECRET_KEY: SECRET, LOG_LEVEL: 'silent', SEED_SAMPLE_DATA: 'false', BOUNCE_ADDRESS: 'bounces@news.example.com' };
    const app = await createApp(testConfig(dir, env), { logger: silentLogger });
    const { sentDigests } = await import('../helpers/feedback-world.js');
    const w = await sentDigests(app.store, 'piped@example.com', 1);
    await app.close();
    const verp = createVerp('bounces@news.example.com', SECRET).address(w.deliveryIds[0]!);
    // The report's own headers name only the plain bounce address: the VERP token comes from Postfix.
    const raw = dsn({ to: 'bounces@news.example.com', recipient: 'someone-else@relay.example' });
    const r = spawnSync(process.execPath, ['bin/topic-digest.js', 'feedback', 'process', '--recipient', verp, '-'], { input: raw, env: { ...process.env, ...env }, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^-\thard\tpiped@example\.com\tbounced\t/);
  });
});
