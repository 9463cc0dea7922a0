import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../../src/main.js';
import { importSubscribers } from '../../../src/subscriptions/import-subscribers.js';
import { appPerTest } from '../../helpers/app-per-test.js';
import { linkIn, pathOf, startWebHarness, type WebHarness } from '../../helpers/web-harness.js';

const NOW = '2026-01-02T03:04:05.000Z';

describe('signup and the suppression list', () => {
  let h: WebHarness;
  beforeEach(async () => {
    h = await startWebHarness();
  });
  afterEach(async () => h.close());

  async function signUpAndConfirm(email: string) {
    const page = await h.signup({ email, name: 'Re', topics: ['world'], timezone: 'Europe/London' });
    const confirmPath = pathOf(linkIn(h.mailer.to(email).at(-1)!, 'https://digest.example/confirm/'));
    return { page, confirmPath };
  }

  it.each(['complaint', 'hard-bounce'] as const)('a %s-suppressed address gets the usual answer and stays suppressed until the reader confirms', async (reason) => {
    await h.app.store.suppressions.add('back@example.com', reason, 'earlier report', NOW);
    const { page, confirmPath } = await signUpAndConfirm('Back@example.com');
    // The form answers exactly as for anyone: nothing reveals the address was suppressed.
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Check your inbox');
    expect(await h.app.store.suppressions.get('back@example.com')).toMatchObject({ reason });
    // Opening the link (a scanner would) lifts nothing; pressing confirm does.
    await h.get(confirmPath);
    expect(await h.app.store.suppressions.get('back@example.com')).toBeDefined();
    await h.post(confirmPath, {}, await h.openForm(confirmPath));
    expect((await h.app.store.subscribers.findByEmail('Back@example.com'))?.status).toBe('active');
    expect(await h.app.store.suppressions.get('back@example.com')).toBeUndefined();
  });
});

describe('import and the suppression list', () => {
  let app: App;
  appPerTest('sqlite', (a) => {
    app = a;
  });

  it('skips and reports suppressed addresses, imports the rest', async () => {
    await app.store.suppressions.add('gone@example.com', 'complaint', null, NOW);
    const rows = [
      { row: 1, label: 'line 2', email: 'GONE@example.com', topics: ['world'], problems: [] },
      { row: 2, label: 'line 3', email: 'fine@example.com', topics: ['world'], problems: [] },
    ];
    const r = await importSubscribers(app.store, rows, { status: 'active', skipInvalid: false, now: NOW, source: 'list.csv' });
    expect(r.added).toBe(1);
    expect(r.skipped).toEqual([expect.objectContaining({ email: 'GONE@example.com', reason: expect.stringMatching(/suppression list/) })]);
    expect(await app.store.subscribers.findByEmail('GONE@example.com')).toBeUndefined();
  });
});
