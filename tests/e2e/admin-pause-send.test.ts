import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAUSED } from '../../src/deliver/send-run.js';
import type { App } from '../../src/main.js';
import { seriousAxeViolations } from '../helpers/axe-browser.js';
import { startConsoleInChromium, type ConsoleInChromium } from '../helpers/console-chromium.js';
import { seedWorld } from '../helpers/digest-world.js';
import { startRole, type RoleProcess } from '../helpers/role-process.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';

/**
 * "Pause all sending" clicked in Chromium while a real `topic-digest send` runs in another
 * process against a slow real SMTP server: the send stops taking new work within a batch, says
 * so in its log, the overview shows the pause and a sent count that no longer grows, and after
 * "Resume sending" the next send delivers the rest with nobody mailed twice.
 */

const ADMIN = 'editor@example.com';
const READERS = Array.from({ length: 24 }, (_, i) => `reader${i + 1}@example.com`);

let c: ConsoleInChromium;
let app: App;
let page: Page;
let sink: SmtpSink;
let env: Record<string, string>;
const roles: RoleProcess[] = [];

beforeAll(async () => {
  // 250 ms per message over one connection: the run lasts seconds, so the click lands mid-run.
  sink = await startSmtpSink({ dataDelayMs: 250 });
  c = await startConsoleInChromium(ADMIN, { SMTP_URL: sink.url, SMTP_MAX_CONNECTIONS: '1', LOG_LEVEL: 'info', LOG_FORMAT: 'json' }, async (a) => {
    await seedWorld(a, new Date(), { articles: [{ title: 'Storm warning', topics: ['world'], minutesAgo: 30 }], readers: READERS.map((email) => ({ email, topics: ['world'] })) });
  });
  ({ app, page, env } = c);
}, 120_000);

afterAll(async () => {
  for (const r of roles) await r.stop('SIGKILL');
  await c?.close();
  await sink?.close();
});

const shownSent = async () => Number((await page.locator('[data-count="sent"]').textContent())!.trim());
const ledgerSent = async () => (await app.store.db.selectFrom('deliveries').select('id').where('status', '=', 'sent').execute()).length;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

function send(): RoleProcess {
  const role = startRole(['send'], env);
  roles.push(role);
  return role;
}

describe('pausing a running send from the console', () => {
  it('the send stops taking new work, its log and the overview say paused, and the count stops growing', async () => {
    const run = send();
    await sink.waitFor((m) => m.length >= 3, 60_000);
    await page.reload();
    await page.getByRole('button', { name: 'Pause all sending' }).click();
    const atClick = sink.messages.length;
    expect(await page.getByRole('heading', { name: 'All sending is paused' }).count()).toBe(1);
    expect(await page.locator('main').textContent()).toContain(`Paused by ${ADMIN}`);
    const serious = await seriousAxeViolations(page);
    expect(serious, JSON.stringify(serious, null, 2)).toEqual([]);

    expect(await run.exited).toBe(0);
    expect(run.log()).toContain('all sending paused: this run stopped taking new deliveries');
    expect(run.log()).toContain(PAUSED);
    const stopped = sink.messages.length;
    // One connection and batches of four: at most the message in flight and one claimed batch more.
    expect(stopped).toBeLessThanOrEqual(atClick + 5);
    expect(stopped).toBeLessThan(READERS.length);

    await page.reload();
    expect(await shownSent()).toBe(stopped);
    expect(await ledgerSent()).toBe(stopped);
    expect(Number(await page.locator('[data-count="planned"]').textContent())).toBe(READERS.length - stopped);
    // A second send while paused sends nothing; the count on the page stays put.
    const idle = send();
    expect(await idle.exited).toBe(0);
    expect(idle.log()).toMatch(/paused/);
    await pause(1000);
    await page.reload();
    expect(await shownSent()).toBe(stopped);
    expect(sink.messages).toHaveLength(stopped);
  }, 120_000);

  it('after "Resume sending" the next send delivers the rest, nobody twice', async () => {
    await page.getByRole('button', { name: 'Resume sending' }).click();
    expect(await page.getByRole('heading', { name: 'Sending is on' }).count()).toBe(1);
    const rest = send();
    expect(await rest.exited).toBe(0);
    const recipients = sink.messages.map((m) => m.to[0]);
    expect(recipients).toHaveLength(READERS.length);
    expect(new Set(recipients).size).toBe(READERS.length);
    await page.reload();
    expect(await shownSent()).toBe(READERS.length);
  }, 120_000);
});
