import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/main.js';
import { silentLogger } from '../../../src/logger.js';
import { tempDir, testConfig } from '../../helpers/env.js';
import { seedWorld } from '../../helpers/digest-world.js';
import { runCliCaptured } from '../../helpers/run-cli.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink.js';

/** `send` reaches late-skipped readers, says why `--only` sent nothing, and `--verbose` names recipients. */

// 15:00 UTC: a UTC reader's 07:00 is 8 hours past, beyond the 6-hour catch-up window.
const LATE = '2026-11-20T15:00:00.000Z';

describe('topic-digest send: what an explicit send reaches and says', () => {
  let sink: SmtpSink;
  let cleanup: (() => void) | undefined;
  let cleanupDir = '';
  afterEach(async () => {
    await sink?.close();
    cleanup?.();
  });

  async function world() {
    sink = await startSmtpSink();
    const tmp = tempDir();
    cleanup = tmp.cleanup;
    cleanupDir = tmp.dir;
    const env = { DATABASE_URL: `sqlite:${tmp.dir}/cli.db`, SMTP_URL: sink.url, SECRET_KEY: 's'.repeat(40), LOG_LEVEL: 'silent' };
    const app = await createApp(testConfig(tmp.dir, env), { logger: silentLogger });
    await seedWorld(app, new Date(LATE), {
      articles: [{ title: 'Ceasefire talks resume', topics: ['ukraine-war'] }],
      readers: [
        { email: 'ann@example.com', topics: ['ukraine-war'], timezone: 'UTC' },
        { email: 'paused@example.com', topics: ['ukraine-war'] },
        { email: 'none@example.com', topics: [] },
        { email: 'quiet@example.com', topics: ['sport'] },
      ],
    });
    const paused = await app.store.subscribers.findByEmail('paused@example.com');
    await app.store.subscribers.updateProfile(paused!.id, { paused: true }, LATE);
    await app.close();
    return env;
  }

  it('delivers to a reader an earlier tick skipped as late, and the tick line said why', async () => {
    const env = await world();
    const tick = await runCliCaptured(['send', '--now', LATE, '--respect-schedule'], env);
    expect(tick.code, tick.err).toBe(0);
    expect(tick.out.at(-1)).toMatch(/planned=0 sent=0 skipped=\d+ \(late \d+/);
    expect(sink.messages).toHaveLength(0);

    const out = `${cleanupDir}/previews`;
    const preview = await runCliCaptured(['preview', '--subscriber', 'ann@example.com', '--date', '2026-11-20', '--out', out], env);
    expect(preview.out.join('\n')).toMatch(/skipped \(late\)/);
    expect(preview.out.join('\n')).not.toMatch(/already has a delivery/);

    const send = await runCliCaptured(['send', '--now', LATE, '--verbose'], env);
    expect(send.code, send.err).toBe(0);
    expect(sink.messages.flatMap((m) => m.to)).toContain('ann@example.com');
    expect(send.out.join('\n')).toMatch(/^sent\tann@example\.com\t2026-11-20\t\S+\t.*Ceasefire talks resume/m);
    expect(send.out.at(-1)).toMatch(/sent=1 /);
  });

  it('--only that sends nothing says why', async () => {
    const env = await world();
    const why = async (email: string) => (await runCliCaptured(['send', '--now', LATE, '--only', email], env)).out.join('\n');
    expect(await why('ghost@example.com')).toMatch(/nothing sent: ghost@example\.com is not a subscriber \(unknown address\)/);
    expect(await why('paused@example.com')).toMatch(/nothing sent: paused@example\.com has paused/);
    expect(await why('none@example.com')).toMatch(/nothing sent: none@example\.com is not following any topic/);
    expect(await why('quiet@example.com')).toMatch(/nothing sent: no new stories for quiet@example\.com's topics \(sport\)/);
    expect(await why('ann@example.com')).toMatch(/sent=1 /);
    expect(await why('ann@example.com')).toMatch(/nothing sent: ann@example\.com was already sent the digest for 2026-11-20/);
    // One mailbox, whatever the case it is typed in.
    expect(await why('ANN@Example.com')).toMatch(/was already sent the digest for 2026-11-20/);
  });

  it('--only with a malformed address gets an address hint', async () => {
    const r = await runCliCaptured(['send', '--only', 'notanaddress'], await world());
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--only: .*notanaddress/);
    expect(r.err).toMatch(/hint: .*name@example\.com/);
  });

  it('--dry-run does not claim mail goes anywhere', async () => {
    const env = { ...(await world()), LOG_LEVEL: 'info' };
    const r = await runCliCaptured(['send', '--now', LATE, '--dry-run'], env);
    expect(r.code, r.err).toBe(0);
    expect(r.err).not.toMatch(/mail goes to/);
  });

  it('--version prints the package version', async () => {
    const r = await runCliCaptured(['--version'], {});
    expect(r.code).toBe(0);
  });
});
