import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tokens } from '../../../src/render/personal-tokens.js';
import { storeReader } from '../../helpers/web-readers.js';
import { startWebHarness, type WebHarness } from '../../helpers/web-harness.js';

/** /archive and /archive/:edition: only sent editions, with personal fields made generic. */

let h: WebHarness;
beforeEach(async () => {
  h = await startWebHarness();
});
afterEach(async () => {
  await h.close();
});

const EDITION_HTML = `<!doctype html><html><head><style>p{color:#333}</style></head><body>
<p>${tokens.greeting}</p><p>Sent to ${tokens.email}</p>
<a href="${tokens.viewOnlineUrl}">View online</a>
<a href="${tokens.preferencesUrl}">Preferences</a>
<a href="${tokens.unsubscribeUrl}">Unsubscribe</a>
<h2>World &amp; more</h2></body></html>`;

async function insertEdition(key: string, sentTo: number | null, localDate = '2026-11-26') {
  const now = new Date().toISOString();
  await h.app.store.db
    .insertInto('editions')
    .values({ key, local_date: localDate, topics: 'world,tech', subject: `Your digest ${key}`, html: EDITION_HTML, text: `${tokens.greeting}`, article_ids: '[]', created_at: now })
    .execute();
  if (sentTo !== null) {
    await h.app.store.db
      .insertInto('deliveries')
      .values({ subscriber_id: sentTo, local_date: localDate, status: 'sent', edition_key: key, window_start: now, window_end: now, planned_at: now, finished_at: now })
      .execute();
  }
}

describe('archive', () => {
  it('lists only sent editions, newest first', async () => {
    const { s } = await storeReader(h.app);
    const other = await storeReader(h.app, { email: 'other@example.com' });
    await insertEdition('2026-11-25-aaa', s.id, '2026-11-25');
    await insertEdition('2026-11-26-bbb', other.s.id, '2026-11-26');
    await insertEdition('2026-11-27-unsent', null, '2026-11-27');
    const r = await h.get('/archive');
    expect(r.statusCode).toBe(200);
    const links = [...r.body.matchAll(/href="(\/archive\/[^"]+)"/g)].map((m) => m[1]);
    expect(links).toEqual(['/archive/2026-11-26-bbb', '/archive/2026-11-25-aaa']);
    expect(r.body).toContain('World, Tech');
    expect(r.body).not.toContain('unsent');
  });

  it('says so when nothing has been sent', async () => {
    const r = await h.get('/archive');
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('No digests have been sent yet.');
  });

  it('serves an edition as its own document with generic links, no personal data and a script-free CSP', async () => {
    const { s } = await storeReader(h.app);
    await insertEdition('2026-11-26-bbb', s.id);
    const r = await h.get('/archive/2026-11-26-bbb');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/text\/html/);
    expect(r.body.startsWith('<!doctype html>')).toBe(true);
    expect(r.body).not.toContain('%%td:');
    expect(r.body).not.toContain(s.email);
    expect(r.body).not.toMatch(/\/(unsubscribe|preferences)\//);
    expect(r.body).toContain('<p>Hello,</p>');
    expect(r.body).toContain('href="https://digest.example/archive/2026-11-26-bbb"');
    expect(r.body).toContain('<a href="https://digest.example/">Unsubscribe</a>');
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("script-src 'none'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'none'");
  });

  it('answers 404 for unknown and unsent editions', async () => {
    await insertEdition('2026-11-27-unsent', null);
    expect((await h.get('/archive/2026-11-27-unsent')).statusCode).toBe(404);
    expect((await h.get('/archive/nope')).statusCode).toBe(404);
  });
});
