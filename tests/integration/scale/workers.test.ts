import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../../src/main.js';
import { silentLogger } from '../../../src/logger.js';
import { freshDatabaseUrl, testDialects, type FreshDatabase } from '../../helpers/dialects.js';
import { seedWorld } from '../../helpers/digest-world.js';
import { tempDir, testConfig } from '../../helpers/env.js';
import { startRole, sumTickField, type RoleProcess } from '../../helpers/role-process.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink.js';

const usePostgres = testDialects().includes('postgres');

/** Several processes against one real PostgreSQL database, delivering to a real SMTP server. */
describe.runIf(usePostgres)('scale-out on PostgreSQL', () => {
  let sink: SmtpSink | undefined;
  let db: FreshDatabase | undefined;
  let roles: RoleProcess[] = [];

  afterEach(async () => {
    await Promise.all(roles.map((r) => r.stop('SIGKILL')));
    roles = [];
    await sink?.close();
    await db?.cleanup();
  });

  async function world(readers: number, env: Record<string, string> = {}, sinkDelayMs = 20) {
    sink = await startSmtpSink({ dataDelayMs: sinkDelayMs });
    const { dir } = tempDir();
    db = await freshDatabaseUrl('postgres', dir);
    const vars = {
      DATABASE_URL: db.url,
      SMTP_URL: sink.url,
      SECRET_KEY: 'w'.repeat(40),
      DIGEST_SEND_TIME: '00:00',
      DIGEST_CATCHUP_HOURS: '24',
      SEED_SAMPLE_DATA: 'false',
      LOG_LEVEL: 'info',
      ...env,
    };
    const app = await createApp(testConfig(dir, vars), { logger: silentLogger });
    const emails = Array.from({ length: readers }, (_, i) => `reader${i}@example.com`);
    const topicSets = [['world'], ['china', 'taiwan'], ['tech']];
    await seedWorld(app, new Date(), {
      articles: [
        { title: 'Summit opens', topics: ['world'], minutesAgo: 30 },
        { title: 'Strait tensions', topics: ['china', 'taiwan'], minutesAgo: 20 },
        { title: 'Chip export rules', topics: ['tech'], minutesAgo: 10 },
      ],
      readers: emails.map((email, i) => ({ email, topics: topicSets[i % 3]! })),
    });
    return { vars, app, emails };
  }

  async function ledger(app: App) {
    return app.store.deliveries.countByStatus();
  }

  it('three workers and one planner deliver an edition with no duplicates and none lost', async () => {
    const { vars, app, emails } = await world(36);
    try {
      roles.push(startRole(['scheduler'], vars));
      for (let i = 0; i < 3; i++) roles.push(startRole(['worker', '--idle-ms', '200'], { ...vars, SMTP_MAX_CONNECTIONS: '2' }));
      await sink!.waitFor((m) => m.length >= emails.length, 60_000);
      await sleep(1_000); // a duplicate would show up now
      const received = sink!.messages.map((m) => m.to[0]!);
      expect(received.length).toBe(emails.length);
      expect(new Set(received)).toEqual(new Set(emails));
      expect(await ledger(app)).toMatchObject({ sent: emails.length, planned: 0, sending: 0 });
      // Rendered once per distinct edition across all processes: three topic sets, three editions.
      expect(await app.store.db.selectFrom('editions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst()).toEqual({ n: 3 });
      const workersThatSent = roles.slice(1).filter((r) => /worker batch/.test(r.log())).length;
      expect(workersThatSent).toBeGreaterThanOrEqual(2);
      for (const r of roles) expect(await r.stop('SIGTERM')).toBe(0);
    } finally {
      await app.close();
    }
  }, 120_000);

  it('a worker killed mid-batch: its unstarted rows go to the others after the lease, nothing twice', async () => {
    const { vars, app, emails } = await world(30, { CLAIM_LEASE_SECONDS: '3' }, 150);
    try {
      // Plan first, so the doomed worker can lease the whole edition in one batch.
      expect(await app.runDigest({ now: new Date(), force: true, planOnly: true })).toMatchObject({ planned: emails.length });
      const doomed = startRole(['worker', '--idle-ms', '200'], { ...vars, SMTP_MAX_CONNECTIONS: '1' });
      roles.push(doomed);
      await sink!.waitFor((m) => m.length >= 3, 60_000);
      await doomed.stop('SIGKILL');
      // It held claimed-but-unstarted rows when it died: they must come back via the lease.
      const stranded = await app.store.db
        .selectFrom('deliveries')
        .select('id')
        .where('status', '=', 'planned')
        .where('lease_until', '>', new Date().toISOString())
        .execute();
      expect(stranded.length).toBeGreaterThan(0);
      const beforeOthers = sink!.messages.length;
      expect(beforeOthers).toBeLessThan(emails.length);

      for (let i = 0; i < 2; i++) roles.push(startRole(['worker', '--idle-ms', '200'], vars));
      await sleep(4_000); // the dead worker's lease runs out
      const counts = await ledger(app);
      await sink!.waitFor((m) => m.length >= emails.length - counts.sending, 60_000);
      await sleep(1_000);

      const received = sink!.messages.map((m) => m.to[0]!);
      expect(new Set(received).size).toBe(received.length); // 0 duplicates
      const after = await ledger(app);
      expect(after.planned).toBe(0);
      expect(after.sending).toBeLessThanOrEqual(1); // the message it was sending when killed: uncertain
      expect(after.sent + after.sending).toBe(emails.length); // none lost
      const uncertain = (await app.store.deliveries.list({ status: 'sending' })).map((r) => r.email);
      const sentIds = new Set((await app.store.deliveries.list({ status: 'sent' })).map((r) => r.id));
      for (const row of stranded) expect(sentIds.has(row.id)).toBe(true);
      for (const email of emails) expect(received.includes(email) || uncertain.includes(email), email).toBe(true);
    } finally {
      await app.close();
    }
  }, 120_000);

  it('two planners started at once plan once', async () => {
    const { vars, app, emails } = await world(24);
    try {
      const planners = [startRole(['scheduler'], vars), startRole(['scheduler'], vars)];
      roles.push(...planners);
      for (let t = 0; t < 100 && (await ledger(app)).planned < emails.length; t++) await sleep(200);
      await sleep(1_500); // both have ticked
      const logs = planners.map((p) => p.log());
      expect(sumTickField(logs.join('\n'), 'planned')).toBe(emails.length);
      expect(await ledger(app)).toMatchObject({ planned: emails.length, sent: 0 });
      expect(await app.store.db.selectFrom('editions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst()).toEqual({ n: 3 });
      expect(sink!.messages).toHaveLength(0); // planners never send
    } finally {
      await app.close();
    }
  }, 120_000);
});
