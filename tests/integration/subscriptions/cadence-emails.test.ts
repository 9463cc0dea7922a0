import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/logger.js';
import { createApp, type App } from '../../../src/main.js';
import { tempDir, testConfig } from '../../helpers/env.js';

/**
 * The confirmation and welcome emails name the edition the reader chose ("weekly digest", not
 * always "daily digest"), checked on the .eml files the real outbox mailer writes.
 */

let app: App;
let dir: string;
let cleanup: () => void;
beforeEach(async () => {
  ({ dir, cleanup } = tempDir('topic-digest-cadence-mail-'));
  app = await createApp(testConfig(dir, { PUBLIC_URL: 'https://digest.example' }), { logger: silentLogger });
});
afterEach(async () => {
  await app.close();
  cleanup();
});

/** Every message in the outbox so far, parsed, oldest first. */
async function outbox(): Promise<ParsedMail[]> {
  await app.mailQueue.sender.idle();
  const folder = app.config.smtp.outboxDir;
  const files = readdirSync(folder).filter((f) => f.endsWith('.eml')).sort();
  return Promise.all(files.map((f) => simpleParser(readFileSync(join(folder, f)))));
}

async function signUpAndConfirm(email: string, frequency: string, weekday = '') {
  const origin = { source: 'test' };
  await app.subscriptions.signup({ email, name: 'Ana', topics: ['world'], timezone: 'Europe/Lisbon', frequency, weekday, sendTime: '' }, origin);
  const confirm = (await outbox()).find((m) => (m.to as { text: string }).text.includes(email) && /confirm/i.test(m.subject ?? ''))!;
  const url = /https:\/\/digest\.example\/confirm\/\S+/.exec(confirm.text ?? '')![0];
  expect((await app.subscriptions.confirm(url.split('/').pop()!, origin)).kind).toBe('active');
  const welcome = (await outbox()).find((m) => (m.to as { text: string }).text.includes(email) && /welcome/i.test(m.subject ?? ''))!;
  return { confirm, welcome };
}

describe('subscription emails name the reader’s cadence', () => {
  it.each([
    ['weekly', 'friday', 'weekly digest', 'each Friday morning'],
    ['weekdays', '', 'weekday digest', 'each weekday morning'],
    ['daily', '', 'daily digest', 'each morning'],
  ])('%s readers (weekday %s) see their own edition named', async (frequency, weekday, name, cadence) => {
    const { confirm, welcome } = await signUpAndConfirm(`${frequency}@example.com`, frequency, weekday);
    for (const mail of [confirm, welcome]) {
      const html = String(mail.html).replace(/<!-- -->/g, '');
      expect(mail.text).toContain(name);
      expect(html).toContain(name);
      if (frequency !== 'daily') {
        expect(mail.text).not.toContain('daily digest');
        expect(html).not.toContain('daily digest');
      }
    }
    expect(welcome.text).toContain(`one email ${cadence} at`);
  });
});
