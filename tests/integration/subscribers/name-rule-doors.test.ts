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

// An escape sequence, and a right-to-left override: rendered, "Ann\u202Egpj.exe" reads
// "Annexe.jpg", a name that passes for something else. Reports show both escaped.
it.each([
  ['another control character', 'Ann\u001b[2J', '"Ann\\u001b[2J"'],
  ['a right-to-left override', 'Ann\u202Egpj.exe', '"Ann\\u202egpj.exe"'],
])('refuses a name with %s through both doors', async (_what, name, shown) => {
  const posted = await h.signup({ email: 'web@example.com', name, topics: ['world'], timezone: 'UTC' });
  expect(posted.statusCode).toBe(400);
  expect(posted.body).toContain('Your name contains characters we cannot use.');

  const rows = parseSubscriberText(`email,name,topics\nfile@example.com,"${name}",world\n`, 'csv');
  const imported = await h.app.subscriptions.importRows(rows, { status: 'active', skipInvalid: true, source: 'readers.csv' });
  expect(imported.invalid.map((r) => r.reason)).toEqual([`name ${shown} contains a control character`]);
  expect(await h.app.store.subscribers.count()).toBe(0);
});
