import { simpleParser, type ParsedMail } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { tokens } from '../../../../src/render/personal-tokens.js';
import { encodeEdition, messageBytes } from '../../../../src/deliver/mime/encoded-edition.js';
import type { OutgoingMessage } from '../../../../src/deliver/mailer.js';
import { createMessageBuilder } from '../../../../src/deliver/nodemailer-mailer.js';
import type { MessageParts, PersonalValues } from '../../../../src/model/edition.js';
import { createEditionRenderer } from '../../../../src/render/edition-renderer.js';
import { compilePersonaliser } from '../../../../src/render/personalise.js';
import { makeArticle, makeEdition, makeSection } from '../../../helpers/edition-fixtures.js';

// A spliced message must read back exactly as the message nodemailer builds from the same values:
// same HTML, text, subject, addresses and headers (boundaries aside). The editions and readers
// below are chosen to break a naive splice: tokens next to "=", long unbroken lines that wrap at
// the token, leading dots, trailing spaces, CJK and accents, quotes in names, no name at all.

/** A tiny deterministic generator, so a failure names a reproducible case. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const PIECES = ['plain words ', '=', '==3D', '.leading dot', '\n.', '\n', '\r\n', ' trailing \n', '\t', 'é', '中文新闻', '🙂', 'a'.repeat(90), 'x'.repeat(74), '<a href="', '">', '&amp;', '%%', '%%td:unknown%%', '\n\n'];
const TOKENS = Object.values(tokens);

function template(r: () => number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += r() < 0.25 ? TOKENS[Math.floor(r() * TOKENS.length)] : PIECES[Math.floor(r() * PIECES.length)];
  return out;
}

const NAMES: (string | null)[] = [null, '', 'Ana', 'José Ñúñez', '李小龙', 'O\'Brien, "Jr."', 'back\\slash', 'a=b c?d', 'N'.repeat(100), '  spaced   out  ', 'Zoë 🙂 van der Berg-Ångström', '.dot'];
const EMAILS = ['ana@example.com', 'o.brien+news@example.org', 'x=y@example.net', '"quoted"@example.com', 'jose@exämple.com', 'UPPER@Example.COM'];

function values(r: () => number, i: number): PersonalValues {
  const name = NAMES[i % NAMES.length]!;
  const email = EMAILS[Math.floor(r() * EMAILS.length)]!;
  const sig = 'Ab9_-'.repeat(5 + Math.floor(r() * 30));
  return {
    name,
    email,
    unsubscribeUrl: `https://news.example/unsubscribe/${sig}.${i}==`,
    preferencesUrl: `https://news.example/preferences/${sig}?a=1&b=${'=' .repeat(i % 4)}`,
    viewOnlineUrl: `https://news.example/archive/edition-${i}`,
  };
}

const sender = { from: '"Topic Digest" <digest@news.example>', replyTo: 'Desk Ü <desk@news.example>' };
const list = (v: PersonalValues) => ({ unsubscribeUrl: v.unsubscribeUrl, unsubscribeMailto: 'mailto:unsubscribe@news.example?subject=unsubscribe', id: 'Topic Digest <digest.news.example>', archiveUrl: 'https://news.example/archive', helpUrl: 'https://news.example/' });

/** What must agree between the two messages. */
function view(m: ParsedMail) {
  const headers = [...m.headers.entries()].filter(([k]) => !['content-type', 'date', 'mime-version'].includes(k));
  return {
    html: m.html,
    text: m.text,
    subject: m.subject,
    from: m.from?.value,
    to: (Array.isArray(m.to) ? m.to[0] : m.to)?.value,
    replyTo: m.replyTo?.value,
    messageId: m.messageId,
    contentType: (m.headers.get('content-type') as { value: string }).value,
    headers: Object.fromEntries(headers.map(([k, v]) => [k, JSON.stringify(v)])),
  };
}

async function compare(parts: MessageParts, readers: number, seed: number): Promise<number> {
  const build = await createMessageBuilder(sender);
  const encoded = encodeEdition(parts, sender);
  const r = rng(seed);
  for (let i = 0; i < readers; i++) {
    const v = values(r, i + seed);
    const messageId = `<m${seed}.${i}@news.example>`;
    const built: OutgoingMessage = { to: { address: v.email, name: v.name }, ...compilePersonaliser(parts)(v), list: list(v), headers: { 'X-Entity-Ref-ID': `ed.${i}` }, messageId };
    const date = new Date();
    const spliced = encoded.message({ to: { address: v.email, name: v.name }, values: v, list: list(v), headers: { 'X-Entity-Ref-ID': `ed.${i}` }, messageId, date });
    const raw = messageBytes(spliced);
    // Every encoded line stays within RFC 5322's limit, whatever the values.
    for (const line of raw.toString('latin1').split('\r\n')) expect(line.length, line).toBeLessThanOrEqual(998);
    const [a, b] = await Promise.all([simpleParser((await build(built)).raw), simpleParser(raw)]);
    expect(view(b), `seed ${seed} reader ${i}`).toEqual(view(a));
    expect(Math.abs(b.date!.getTime() - a.date!.getTime())).toBeLessThan(5000);
  }
  return readers;
}

describe('encodeEdition: one encoding per edition, one splice per reader', () => {
  it('reads back as nodemailer builds it, for many generated editions and readers', async () => {
    let checked = 0;
    for (let seed = 1; seed <= 24; seed++) {
      const r = rng(seed * 7919);
      const parts = { subject: seed % 3 === 0 ? `Digest for ${tokens.name} — ${template(r, 2)}`.replace(/[\r\n]/g, '') : `Les nouvelles du jour ${seed} — 今日新闻`, html: template(r, 60), text: template(r, 40) };
      checked += await compare(parts, 12, seed);
    }
    expect(checked).toBe(288);
  });

  it('reads back as nodemailer builds it for real rendered editions', async () => {
    const renderer = createEditionRenderer({ senderName: 'Topic Digest', senderAddress: '1 Quay Street, Harbour Town', publicUrl: 'https://news.example' });
    const editions = [
      makeEdition([makeSection('World', [makeArticle({ title: 'Ünïcode “quotes” & <tags>', summary: '中文 '.repeat(200) })])]),
      makeEdition([makeSection('Tech', [makeArticle(), makeArticle({ summary: '.'.repeat(300) })]), makeSection('Sport', [makeArticle({ title: 'a=b' })])]),
    ];
    for (const [k, e] of editions.entries()) await compare(await renderer.render(e), NAMES.length, 100 + k);
  });

  it('keeps a value whole where the encoding would otherwise wrap inside it', () => {
    const parts = { subject: 's', html: `${'x'.repeat(73)}${tokens.unsubscribeUrl}${'y'.repeat(10)}`, text: 't' };
    const v = values(rng(1), 1);
    const raw = messageBytes(encodeEdition(parts, sender).message({ to: { address: 'a@b.example' }, values: v, messageId: '<a@b>', date: new Date() })).toString('latin1');
    const html = raw.slice(raw.indexOf('text/html'));
    // The value starts on a fresh encoded line of its own.
    expect(html).toContain(`=\r\nhttps://news.example/unsubscribe/`);
  });

  it('cannot be tricked into a header by a name or address carrying CR/LF', async () => {
    const parts = { subject: 'Hi\r\nBcc: x@evil.example', html: '<p>h</p>', text: 't' };
    const raw = messageBytes(encodeEdition(parts, sender).message({ to: { address: 'a@b.example\r\nBcc: y@evil.example', name: 'Eve\r\nBcc: z@evil.example' }, values: values(rng(2), 2), messageId: '<a@b>', date: new Date(), headers: { 'X-Ref': 'v\r\nBcc: w@evil.example' } }));
    const parsed = await simpleParser(raw);
    expect(parsed.bcc).toBeUndefined();
    expect(raw.toString('latin1')).not.toMatch(/^Bcc:/m);
  });

  it('shows names and subjects that look like encoded words literally, and keeps a List-Id parseable', async () => {
    const sneaky = 'Eve =?utf-8?q?Admin?=';
    const parts = { subject: `Hi ${sneaky}`, html: '<p>h</p>', text: 't' };
    const raw = messageBytes(
      encodeEdition(parts, sender).message({
        to: { address: 'eve@example.com', name: sneaky },
        values: values(rng(3), 3),
        messageId: '<a@b>',
        date: new Date(),
        list: { ...list(values(rng(3), 3)), id: 'Nouvelles Ünïcode <digest.news.example>' },
      }),
    );
    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe(`Hi ${sneaky}`);
    expect((Array.isArray(parsed.to) ? parsed.to[0] : parsed.to)?.value[0]?.name).toBe(sneaky);
    // The id stays outside the encoded words, so list parsers find it (mailparser leaves the name encoded).
    expect((parsed.headers.get('list') as { id: { id: string } }).id.id).toBe('digest.news.example');
  });
});
