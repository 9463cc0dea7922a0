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
