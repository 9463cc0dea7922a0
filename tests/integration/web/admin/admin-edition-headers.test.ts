import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../../src/logger.js';
import { createApp, type App } from '../../../../src/main.js';
import { SESSION_TTL_MS } from '../../../../src/web/admin/session.js';
import { buildServer } from '../../../../src/web/server.js';
import { seedWorld } from '../../../helpers/digest-world.js';
import { tempDir, testConfig } from '../../../helpers/env.js';

/**
 * An edition's headers on /admin/editions/:key, against the .eml the outbox mailer really wrote
 * for a reader: every edition-wide header is the same line, and per-reader ones are placeholders.
 */

const ADMIN = 'editor@example.com';
const NOW = new Date('2026-11-20T08:00:00Z');
const READER = 'ana@example.com';
let app: App;
let server: FastifyInstance;
let cleanup: () => void;
let dir: string;

beforeEach(async () => {
  ({ dir, cleanup } = tempDir('topic-digest-edition-headers-'));
  app = await createApp(
    testConfig(dir, { PUBLIC_URL: 'https://digest.example', ADMIN_EMAILS: ADMIN, MAIL_FROM: '"The Gazette" <news@gazette.example>', MAIL_REPLY_TO: 'desk@gazette.example' }),
    { logger: silentLogger },
  );
  server = await buildServer(app);
});
afterEach(async () => {
  await server.close();
  await app.close();
  cleanup();
});

/** Unfolded header fields of a header block, in order. */
function fields(block: string): [string, string][] {
  return block
    .replace(/\r?\n[ \t]+/g, ' ')
    .split(/\r?\n/)
    .filter((l) => l.includes(':'))
    .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]);
}

const unescape = (html: string) => html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&#x3D;/g, '=').replace(/&#x60;/g, '`').replace(/&amp;/g, '&');

describe('edition headers in the console', () => {
  it('shows the header block each reader got, with their values as placeholders', async () => {
    await seedWorld(app, NOW, { articles: [{ title: 'Harbour reopens', topics: ['world'] }], readers: [{ email: READER, name: 'Ana <b>', topics: ['world'] }] });
    await app.runDigest({ now: NOW, force: true });
    const eml = readdirSync(join(dir, 'outbox')).find((f) => f.endsWith('.eml'))!;
    const raw = readFileSync(join(dir, 'outbox', eml), 'utf8');
    const sent = fields(raw.slice(0, raw.indexOf('\r\n\r\n')));

    const key = (await app.store.db.selectFrom('editions').select('key').executeTakeFirstOrThrow()).key;
    const secret = await app.store.admin.createSession(ADMIN, new Date(), SESSION_TTL_MS);
    const page = await server.inject({ method: 'GET', url: `/admin/editions/${encodeURIComponent(key)}`, cookies: { '__Host-td_admin': secret } });
    expect(page.statusCode).toBe(200);
    const pre = /<pre class="email-headers" tabindex="0" id="edition-headers">([\s\S]*?)<\/pre>/.exec(page.body)![1]!;
    expect(pre).not.toContain('<');
    const shown = new Map(fields(unescape(pre)));

    // Edition-wide headers: exactly the lines the reader's message carried.
    const perReader = new Set(['To', 'Message-ID', 'Date', 'List-Unsubscribe', 'X-Entity-Ref-ID', 'Content-Type', 'DKIM-Signature']);
    const common = sent.filter(([name]) => !perReader.has(name));
    expect(common.map(([n]) => n)).toEqual(expect.arrayContaining(['From', 'Reply-To', 'Subject', 'List-Unsubscribe-Post', 'List-Id', 'List-Archive', 'List-Help', 'MIME-Version']));
    for (const [name, value] of common) expect([name, shown.get(name)]).toEqual([name, value]);
    expect([...shown.keys()].sort()).toEqual(sent.map(([n]) => n).filter((n) => n !== 'DKIM-Signature').sort());

    // Per-reader and per-attempt values are placeholders, never someone's address or token.
    expect(shown.get('To')).toBe('"%%td:name%%" <%%td:email%%>');
    expect(shown.get('List-Unsubscribe')).toMatch(/^<%%td:unsubscribe_url%%>, <mailto:/);
    expect(shown.get('Message-ID')).toBe('<%%td:message_id%%>');
    expect(shown.get('Date')).toBe('%%td:send_time%%');
    expect(shown.get('X-Entity-Ref-ID')).toBe(`${key}.%%td:delivery_id%%`);
    expect(shown.get('Content-Type')).toMatch(/^multipart\/alternative; boundary="=_td_[0-9a-f]+"$/);
    expect(new Map(sent).get('Content-Type')).toMatch(/^multipart\/alternative; boundary="=_td_[0-9a-f]+"$/);
    expect(pre).not.toContain(READER);
    expect(pre).not.toContain('/unsubscribe/');
  });
});
