import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { encodeQuotedPrintable, isRelaxedCanonical, relaxedBodyLines } from '../../../../src/deliver/mime/quoted-printable.js';

// The encoder's own rules, checked against an independent decoder: mailparser reading a part.

async function decode(encoded: string): Promise<string> {
  const mail = await simpleParser(Buffer.from(`Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${encoded}`));
  return mail.text ?? '';
}

const cases = [
  '',
  'plain',
  'a=b==c',
  '.leading dot\n.another',
  'trailing space \ntrailing tab\t',
  'x'.repeat(300),
  `${'x'.repeat(73)}=${'y'.repeat(80)}`,
  `${'x'.repeat(74)}é${'z'.repeat(10)}`,
  '中文新闻'.repeat(40),
  'emoji 🙂 and a lone surrogate \ud800 here',
  'crlf\r\nlf\nmixed\r\n',
  'runs  of   spaces\t\tand\t tabs  \n    indented',
  `${' '.repeat(80)}x ${'  '.repeat(50)}`,
  `${'.'.repeat(200)}`,
];

describe('encodeQuotedPrintable', () => {
  it.each(cases.map((c) => [JSON.stringify(c).slice(0, 40), c] as const))('round-trips %s within 76-column lines', async (_label, text) => {
    for (const open of [false, true]) {
      const encoded = encodeQuotedPrintable(text, open);
      // mailparser gives line breaks as LF.
      expect(await decode(encoded)).toBe(text.replace(/\r?\n/g, '\n').replace(/\ud800/g, '\ufffd'));
      for (const line of encoded.split('\r\n')) {
        expect(line.length).toBeLessThanOrEqual(76);
        expect(line).not.toMatch(/^\./);
        expect(line).not.toMatch(/[ \t]$/);
        expect(line).not.toMatch(/=(?![0-9A-F]{2}|$)/);
      }
      // Already DKIM-canonical, so a signer can hash the bytes as sent.
      expect(relaxedBodyLines(encoded)).toBe(encoded);
      expect(isRelaxedCanonical(encoded)).toBe(true);
      // An open segment ends on a line boundary, so a spliced value starts a fresh line.
      if (open && text) expect(encoded.endsWith('\r\n')).toBe(true);
    }
  });

  it('canonicalises white space per DKIM relaxed body rules', () => {
    expect(relaxedBodyLines('a  b\t c \r\n  d\r\n')).toBe('a b c\r\n d\r\n');
    expect(relaxedBodyLines('nothing\r\n')).toBe('nothing\r\n');
    for (const s of ['a  b\r\n', 'a\tb\r\n', 'a \r\n']) expect(isRelaxedCanonical(s)).toBe(false);
    expect(isRelaxedCanonical('a b =\r\n c\r\n')).toBe(true);
  });
});

/**
 * The regex-based encoder this one replaced, kept as an oracle: the byte loop must give the very
 * same bytes (soft breaks included), or signed and spliced messages would change.
 */
function referenceEncode(text: string, open: boolean): string {
  if (text === '') return '';
  const hex = (b: number) => `=${'0123456789ABCDEF'[b >> 4]}${'0123456789ABCDEF'[b & 15]}`;
  const out: string[] = [];
  const lines = text.split(/\r?\n|\r/);
  lines.forEach((line, i) => {
    if (i > 0) out.push('\r\n');
    let enc = line.replace(/[^\x20-\x3c\x3e-\x7e]/gu, (ch) => [...Buffer.from(ch, 'utf8')].map(hex).join(''));
    enc = enc.replace(/ {2,}/g, (run) => ' ' + '=20'.repeat(run.length - 1));
    if (enc.endsWith(' ')) enc = enc.slice(0, -1) + '=20';
    let pos = 0;
    while (pos < enc.length) {
      const head = enc[pos] === '.' ? '=2E' : '';
      if (head) pos++;
      let end = pos + 75 - head.length;
      if (end >= enc.length) return void out.push(head + enc.slice(pos));
      if (enc[end - 1] === '=') end -= 1;
      else if (enc[end - 2] === '=') end -= 2;
      out.push(head + enc.slice(pos, end), '=\r\n');
      pos = end;
    }
  });
  if (open && lines[lines.length - 1] !== '') out.push('=\r\n');
  return out.join('');
}

describe('encodeQuotedPrintable against the regex encoder it replaced', () => {
  const alphabet = ['a', 'Z', '0', ' ', ' ', '  ', '\t', '.', '=', '\r\n', '\n', '\r', 'é', 'ß', '中', '🙂', '\ud800', '<a href="x">', '%%td:name%%', '~'];
  let seed = 12345;
  const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  const sample = (length: number) => Array.from({ length }, () => alphabet[random(alphabet.length)]!).join('');

  it('gives byte-identical output on 3,000 random texts, open and closed', () => {
    for (let i = 0; i < 3000; i++) {
      const text = sample(1 + random(i % 10 === 0 ? 400 : 60));
      expect(encodeQuotedPrintable(text, false)).toBe(referenceEncode(text, false));
      const open = encodeQuotedPrintable(text, true);
      expect(open).toBe(referenceEncode(text, true));
      // Spliced values are never re-checked for DKIM's relaxed form: the encoder guarantees it.
      expect(isRelaxedCanonical(open)).toBe(true);
    }
  });

  it('gives byte-identical output on every fixed case and on long HTML-like lines', () => {
    const html = `<td style="padding:0 24px;font-family:Georgia,serif">Caf\u00e9 \u2014 ${'x'.repeat(70)}=</td>`.repeat(300);
    for (const text of [...cases, html, `.${html}`, `${' '.repeat(75)}.`, `${'x'.repeat(74)}. ${'.'.repeat(5)}`]) {
      for (const open of [false, true]) expect(encodeQuotedPrintable(text, open)).toBe(referenceEncode(text, open));
    }
  });
});
