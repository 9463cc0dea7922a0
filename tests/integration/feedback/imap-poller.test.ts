import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeMailbox, pollMailbox } from '../../../src/feedback/imap-poller.js';
import type { FeedbackRules } from '../../../src/feedback/record-feedback.js';
import { createVerp } from '../../../src/feedback/verp.js';
import { createLogger } from '../../../src/logger.js';
import { openStore, type Store } from '../../../src/store/store.js';
import { tempDir, testConfig } from '../../helpers/env.js';
import { arf, dsn } from '../../helpers/feedback-reports.js';
import { sentDigests } from '../../helpers/feedback-world.js';
import { freshMailbox, testImapUrl } from '../../helpers/imap.js';

const imapUrl = testImapUrl();
const verp = createVerp('bounces@news.example.com', 'z'.repeat(40));

describe.skipIf(!imapUrl)('the bounce mailbox poller against Dovecot', () => {
  let store: Store;
  let box: Awaited<ReturnType<typeof freshMailbox>>;
  let cleanup: () => void;
  const lines: string[] = [];
  const logger = createLogger('debug', (l) => lines.push(l));
  const rules: FeedbackRules = { bounceLimit: 1, softBounceLimit: 5, verp };

  beforeEach(async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    store = await openStore(testConfig(t.dir).database);
    box = await freshMailbox(imapUrl!);
    lines.length = 0;
  });
  afterEach(async () => {
    await box.close();
    await store.close();
    cleanup();
  });

  it('reads each report once, records it, and moves it to the done folder (created on first use)', async () => {
    const w = await sentDigests(store, 'gone@example.org', 1);
    const c = await sentDigests(store, 'angry@example.org', 1);
    await box.client.append(box.name, dsn({ to: verp.address(w.deliveryIds[0]!), recipient: 'gone@example.org' }));
    await box.client.append(box.name, arf({ to: 'fbl@news.example.com', recipient: 'angry@example.org', messageId: c.messageIds[0] }));
    await box.client.append(box.name, 'From: someone@example.com\r\nSubject: hello\r\nMessage-ID: <hello@example.com>\r\n\r\nJust saying hi.\r\n');
    const done = `${box.name}-done`;

    const r = await pollMailbox(store, rules, { url: box.url, doneFolder: done }, logger);
    expect(r).toMatchObject({ read: 3, moved: 3, flagged: 0, unreadable: 0 });
    expect(await box.count(box.name)).toBe(0);
    expect(await box.count(done)).toBe(3);
    expect((await store.subscribers.findById(w.subscriberId))?.status).toBe('bounced');
    expect((await store.subscribers.findById(c.subscriberId))?.status).toBe('unsubscribed');
    // The password never reaches the log.
    const password = decodeURIComponent(new URL(imapUrl!).password);
    expect(lines.join('\n')).not.toContain(password);
    expect(describeMailbox(box.url)).not.toContain(password);

    // The same report delivered again (a relay retried) changes nothing.
    await box.client.append(box.name, dsn({ to: verp.address(w.deliveryIds[0]!), recipient: 'gone@example.org', reportId: '<same@relay>' }));
    await box.client.append(box.name, dsn({ to: verp.address(w.deliveryIds[0]!), recipient: 'gone@example.org', reportId: '<same@relay>' }));
    expect(await pollMailbox(store, rules, { url: box.url, doneFolder: done }, logger)).toMatchObject({ read: 2, moved: 2 });
    expect((await store.subscribers.findById(w.subscriberId))?.hardBounces).toBe(1);
  });

  it('flags messages when the done folder cannot exist, and does not read them again', async () => {
    const w = await sentDigests(store, 'gone@example.org', 1);
    await box.client.append(box.name, dsn({ to: verp.address(w.deliveryIds[0]!), recipient: 'gone@example.org', status: '4.2.2' }));
    const settings = { url: box.url, doneFolder: `${box.name}//adjacent-separators` };
    expect(await pollMailbox(store, rules, settings, logger)).toMatchObject({ read: 1, moved: 0, flagged: 1 });
    expect(await box.count(box.name)).toBe(1);
    expect(lines.join('\n')).toMatch(/flagging them instead/);
    expect(await pollMailbox(store, rules, settings, logger)).toMatchObject({ read: 0, flagged: 0 });
  });

  it('leaves an unreadable message in place and reports it once', async () => {
    await box.client.append(box.name, `From: x@example.com\r\nSubject: big\r\n\r\n${'x'.repeat(5000)}\r\n`);
    const settings = { url: box.url, doneFolder: `${box.name}-done`, maxMessageBytes: 1000 };
    expect(await pollMailbox(store, rules, settings, logger)).toMatchObject({ read: 0, unreadable: 1 });
    expect(await box.count(box.name)).toBe(1);
    expect(lines.join('\n')).toMatch(/could not read a message in the bounce mailbox; left in place/);
    expect(await pollMailbox(store, rules, settings, logger)).toMatchObject({ read: 0, unreadable: 0 });
  });

  it('a wrong password is a clear error that does not show the password', async () => {
    const u = new URL(box.url);
    u.password = 'wrong-secret-pw';
    const err = (await pollMailbox(store, rules, { url: u.toString(), doneFolder: 'x' }, logger).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toMatch(/cannot log in to the bounce mailbox imap:\/\/bounces@127\.0\.0\.1:\d+\/T[0-9a-f]+: authentication failed/);
    expect(err.message).not.toContain('wrong-secret-pw');
  });
});

describe.skipIf(!imapUrl)('the scheduler role polls BOUNCE_IMAP_URL', () => {
  it('reads a report that lands in the mailbox and moves it, without logging the password', async () => {
    const { startRole } = await import('../../helpers/role-process.js');
    const t = tempDir();
    const box = await freshMailbox(imapUrl!);
    const role = startRole(['scheduler'], {
      DATABASE_URL: `sqlite:${t.dir}/role.db`,
      SECRET_KEY: 'r'.repeat(40),
      SEED_SAMPLE_DATA: 'false',
      LOG_LEVEL: 'info',
      DIGEST_CRON: '0 0 1 1 *',
      BOUNCE_IMAP_URL: box.url,
      BOUNCE_IMAP_DONE: `${box.name}-done`,
      BOUNCE_IMAP_POLL_SECONDS: '10',
    });
    try {
      await box.client.append(box.name, dsn({ to: 'bounces@news.example.com', recipient: 'nobody@example.org' }));
      for (let i = 0; i < 100 && (await box.count(`${box.name}-done`)) === 0; i++) await new Promise((r) => setTimeout(r, 200));
      expect(await box.count(`${box.name}-done`)).toBe(1);
      expect(role.log()).toMatch(/polling the bounce mailbox/);
      expect(role.log()).not.toContain(decodeURIComponent(new URL(imapUrl!).password));
    } finally {
      await role.stop();
      await box.close();
      t.cleanup();
    }
  });
});
