import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/logger.js';
import { createApp, type App } from '../../../src/main.js';
import { freshDatabaseUrl, testDialects, type FreshDatabase, type TestDialect } from '../../helpers/dialects.js';
import { seedWorld } from '../../helpers/digest-world.js';
import { tempDir, testConfig } from '../../helpers/env.js';
import { startRole, type RoleProcess } from '../../helpers/role-process.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink.js';

const NOW = new Date();
const READERS = Array.from({ length: 500 }, (_, i) => `reader${i}@example.com`);
const KILLS = 10;

/**
 * SIGKILL `send` at ten random moments over 500 readers, starting it again each time (right
 * away: on SQLite the next run proves the dead one dead and takes its rows over at once). On
 * PostgreSQL two workers send alongside and survive. Afterwards: nobody twice, and every reader
 * the server never got is named uncertain.
 */
describe.each(testDialects())('send killed at random moments (%s)', (dialect: TestDialect) => {
  let sink: SmtpSink | undefined;
  let db: FreshDatabase | undefined;
  let roles: RoleProcess[] = [];
  let app: App | undefined;
  afterEach(async () => {
    await Promise.all(roles.map((r) => r.stop('SIGKILL')));
    roles = [];
    await app?.close();
    await sink?.close();
    await db?.cleanup();
  });

  it('0 duplicates; every reader not reached is uncertain', async () => {
    sink = await startSmtpSink({ dataDelayMs: 5 });
    const { dir } = tempDir();
    db = await freshDatabaseUrl(dialect, dir);
    const env = {
      DATABASE_URL: db.url,
      SMTP_URL: sink.url,
      SMTP_MAX_CONNECTIONS: '3',
      SMTP_TIMEOUT_SECONDS: '2',
      CLAIM_LEASE_SECONDS: '2',
      SECRET_KEY: 'c'.repeat(40),
      DIGEST_SEND_TIME: '00:00',
      DIGEST_CATCHUP_HOURS: '24',
      LOG_LEVEL: 'info',
    };
    app = await createApp(testConfig(dir, env), { logger: silentLogger, retryBaseMs: 10 });
    await seedWorld(app, NOW, { articles: [{ title: 'Storm warning', topics: ['world'] }], readers: READERS.map((email) => ({ email, topics: ['world'] })) });
    if (dialect === 'postgres') for (let i = 0; i < 2; i++) roles.push(startRole(['worker', '--idle-ms', '200'], { ...env, SMTP_MAX_CONNECTIONS: '1' }));

    // Each run is killed at a random moment while sending: after 1–40 more messages reached the
    // server, plus up to 30 ms, so the kill lands anywhere in a message's life.
    let killed = 0;
    for (let i = 0; i < KILLS; i++) {
      const run = startRole(['send'], env);
      roles.push(run);
      const target = sink.messages.length + 1 + Math.floor(Math.random() * 40);
      const reached = await Promise.race([sink.waitFor((m) => m.length >= Math.min(target, READERS.length), 60_000).then(() => true), run.exited.then(() => false)]);
      if (reached) await sleep(Math.random() * 30);
      if ((await run.stop('SIGKILL')) === null) killed++;
    }
    expect(killed).toBeGreaterThan(0);
    for (const r of roles) await r.stop('SIGTERM');

    if (dialect === 'postgres') await sleep(2_500); // a dead sender's leases stop being renewed, then run out
    const last = await app.runDigest({ now: new Date(), force: true });
    await sleep(500); // a duplicate would arrive now
    const received = sink.messages.map((m) => m.to[0]!);
    expect(new Set(received).size, 'duplicates').toBe(received.length);
    const uncertain = new Set((await app.store.deliveries.listUncertain()).map((u) => u.email));
    for (const email of READERS) expect(received.includes(email) || uncertain.has(email), `${email} neither reached nor uncertain`).toBe(true);
    expect(await app.store.deliveries.countByStatus()).toMatchObject({ planned: 0, sending: uncertain.size, sent: READERS.length - uncertain.size });
    expect(last.uncertain).toBe(uncertain.size);
    // At most the messages in flight at each kill.
    expect(uncertain.size).toBeLessThanOrEqual(killed * 3);
  }, 420_000);
});
