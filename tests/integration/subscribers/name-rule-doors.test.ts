import { afterEach, beforeEach, expect, it } from 'vitest';
import { parseSubscriberText } from '../../../src/subscribers/subscriber-file.js';
import { startWebHarness, type WebHarness } from '../../helpers/web-harness.js';

/**
 * Issue 11, "What was seen": a line break in a name was turned into a space by the web form and
 * refused by the importer. The same name now comes out the same through both doors, end to end:
 * the posted form over HTTP, and a CSV file whose quoted name cell spans two lines.
 */

let h: WebHarness;
beforeEach(async () => {
  h = await startWebHarness();
});
afterEach(async () => {
  await h.close();
});

it('stores "Ann\\nLee" as "Ann Lee" from the signup form and from a CSV import', async () => {
  const posted = await h.signup({ email: 'web@example.com', name: 'Ann\r\nLee', topics: ['world'], timezone: 'UTC' });
  expect(posted.statusCode).toBe(200);

  const rows = parseSubscriberText('email,name,topics\nfile@example.com,"Ann\r\nLee",world\n', 'csv');
  const imported = await h.app.subscriptions.importRows(rows, { status: 'active', skipInvalid: false, source: 'readers.csv' });
  expect(imported).toMatchObject({ added: 1, invalid: [] });

  const names = await Promise.all(['web@example.com', 'file@example.com'].map(async (e) => (await h.app.store.subscribers.findByEmail(e))?.name));
  expect(names).toEqual(['Ann Lee', 'Ann Lee']);
  // The header the reader's mail will carry has no line break left to inject with.
  expect(h.mailer.sent[0]!.to).toEqual({ address: 'web@example.com', name: 'Ann Lee' });
});

it('refuses a name with another control character through both doors', async () => {
  const posted = await h.signup({ email: 'web@example.com', name: 'Ann\u001b[2J', topics: ['world'], timezone: 'UTC' });
  expect(posted.statusCode).toBe(400);
  expect(posted.body).toContain('Your name contains characters we cannot use.');

  const rows = parseSubscriberText('email,name,topics\nfile@example.com,"Ann\u001b[2J",world\n', 'csv');
  const imported = await h.app.subscriptions.importRows(rows, { status: 'active', skipInvalid: true, source: 'readers.csv' });
  expect(imported.invalid.map((r) => r.reason)).toEqual(['name "Ann\\u001b[2J" contains a control character']);
  expect(await h.app.store.subscribers.count()).toBe(0);
});

it('refuses a right-to-left override through both doors, and the report shows it escaped', async () => {
  // Rendered, "Ann\u202Egpj.exe" reads "Annexe.jpg": a name that passes for something else.
  const posted = await h.signup({ email: 'web@example.com', name: 'Ann\u202Egpj.exe', topics: ['world'], timezone: 'UTC' });
  expect(posted.statusCode).toBe(400);
  expect(posted.body).toContain('Your name contains characters we cannot use.');

  const rows = parseSubscriberText('email,name,topics\nfile@example.com,"Ann\u202Egpj.exe",world\n', 'csv');
  const imported = await h.app.subscriptions.importRows(rows, { status: 'active', skipInvalid: true, source: 'readers.csv' });
  expect(imported.invalid.map((r) => r.reason)).toEqual(['name "Ann\\u202egpj.exe" contains a control character']);
  expect(await h.app.store.subscribers.count()).toBe(0);
});
