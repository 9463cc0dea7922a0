import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/logger.js';
import { createApp, type App } from '../../../src/main.js';
import { freshDatabaseUrl, testDialects, type FreshDatabase, type TestDialect } from '../../helpers/dialects.js';
import { seedWorld } from '../../helpers/digest-world.js';
import { tempDir, testConfig } from '../../helpers/env.js';
import { startMisbehavingSmtp, type MisbehavingSmtp } from '../../helpers/misbehaving-smtp.js';
import { startRole, type RoleProcess } from '../../helpers/role-process.js';

const NOW = new Date(Date.now() - 60_000);
const READERS = ['ann@example.com', 'bo@example.com', 'cy@example.com'];

describe.each(testDialects())('a live sender keeps its rows (%s)', (dialect: TestDialect) => {
  let smtp: MisbehavingSmtp | undefined;
  let db: FreshDatabase | undefined;
  let app: App | undefined;
  let sender: RoleProcess | undefined;
  afterEach(async () => {
    await sender?.stop('SIGKILL');
    await app?.close();
    await smtp?.close();
    await db?.cleanup();
  });

  it('retry --uncertain and takeovers leave a message stalled in a live process alone, long past its lease', async () => {
    // The relay holds the first message silent for longer than three leases.
    smtp = await startMisbehavingSmtp('silent-after-data', { times: 1 });
    const { dir } = tempDir();
    db = await freshDatabaseUrl(dialect, dir);
    const env = { DATABASE_URL: db.url, SMTP_URL: smtp.url, SMTP_MAX_CONNECTIONS: '1', SMTP_TIMEOUT_SECONDS: '8', CLAIM_LEASE_SECONDS: '1', SECRET_KEY: 'l'.repeat(40), LOG_LEVEL: 'silent' };
    app = await createApp(testConfig(dir, env), { logger: silentLogger, retryBaseMs: 10 });
    await seedWorld(app, NOW, { articles: [{ title: 'Storm warning', topics: ['world'] }], readers: READERS.map((email) => ({ email, topics: ['world'] })) });

    sender = startRole(['send', '--now', NOW.toISOString()], env);
    await smtp.waitFor((m) => m.length === 1, 60_000);
    await sleep(3_000); // three leases: only the heartbeat keeps the row
    const [inFlight] = await app.store.deliveries.list({ status: 'sending' });
    expect(inFlight?.leaseUntil, 'the live sender renews its lease').toBeTruthy();
    expect(Date.parse(inFlight!.leaseUntil!)).toBeGreaterThan(Date.now() - 500);

    // What an operator's `deliveries retry --uncertain` does, while the message is still in flight.
    const retry = await app.runDigest({ now: new Date(), sendOnly: true, requeueUncertain: true });
    expect(retry).toMatchObject({ sent: 0, uncertain: 0 });
    expect((await app.store.deliveries.list({ status: 'sending' })).map((r) => r.id)).toEqual([inFlight!.id]);
    expect(smtp.messages).toHaveLength(1);

    expect(await sender.exited).toBe(0);
    // The relay went silent: the stalled message is uncertain and the pass stopped; the rest wait.
    expect(sender.log()).toMatch(/sent=0 .*uncertain=1/);
    expect(sender.log()).toMatch(/stopped early: the SMTP server stopped answering/);
    expect(await app.runDigest({ now: new Date(), sendOnly: true })).toMatchObject({ sent: 2, uncertain: 1 });
    // Settled as the live sender decided: uncertain, sent once.
    const uncertain = await app.store.deliveries.listUncertain();
    expect(uncertain.map((u) => u.id)).toEqual([inFlight!.id]);
    expect(uncertain[0]!.reason).toMatch(/^no reply after DATA/);
    const received = smtp.messages.map((m) => m.to[0]);
    expect(new Set(received).size).toBe(received.length);
    expect(received.sort()).toEqual([...READERS].sort());
  }, 90_000);
});
