/**
 * Quoted-printable (RFC 2045 §6.7) for bodies that are encoded once and spliced per reader. The
 * encoder always ends a segment on a line boundary, so a reader's value spliced between two
 * segments sits on its own encoded lines: no `=XX` escape or soft break can straddle a splice,
 * and DKIM's line-wise body canonicalisation can be computed per segment.
 */

const HEX = '0123456789ABCDEF';
/** Per byte, its encoded form inside a line (space and tab are fixed up at line ends). */
const TOKENS: string[] = Array.from({ length: 256 }, (_, b) =>
  (b >= 33 && b <= 126 && b !== 61) || b === 32 || b === 9 ? String.fromCharCode(b) : `=${HEX[b >> 4]}${HEX[b & 15]}`,
);
/** Longest encoded line before the soft-break `=`: 76 characters in all. */
const MAX = 75;

function encodeLine(line: string, out: string[]): void {
  const bytes = Buffer.from(line, 'utf8');
  let cur = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    let tok = TOKENS[b]!;
    // Trailing white space would be stripped in transit; a dot opening a line invites SMTP mangling.
    if ((b === 32 || b === 9) && i === bytes.length - 1) tok = b === 32 ? '=20' : '=09';
    else if (b === 46 && cur.length === 0) tok = '=2E';
    if (cur.length + tok.length > MAX) {
      out.push(cur, '=\r\n');
      cur = b === 46 ? '=2E' : tok;
    } else cur += tok;
  }
  out.push(cur);
}

/**
 * Encodes `text` (any line endings) as quoted-printable lines joined by CRLF. When `open` is true
 * the result ends in a soft line break, so the next segment starts a fresh encoded line and
 * decoding joins the two without a break; otherwise it ends with the last line's text.
 */
export function encodeQuotedPrintable(text: string, open: boolean): string {
  if (text === '') return '';
  const out: string[] = [];
  const lines = text.split(/\r?\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    if (i > 0) out.push('\r\n');
    encodeLine(lines[i]!, out);
  }
  const last = lines[lines.length - 1]!;
  // A segment ending in a line break already ends on a line boundary.
  if (open && last !== '') out.push('=\r\n');
  return out.join('');
}

/**
 * DKIM "relaxed" body canonicalisation (RFC 6376 §3.4.4) of complete CRLF-terminated lines:
 * white space runs become one space and white space before a line end goes. Applied per segment,
 * it equals the canonical form of the whole body as long as segments end on line boundaries.
 */
export function relaxedBodyLines(lines: string): string {
  if (!/[ \t]/.test(lines)) return lines;
  return lines.replace(/[ \t]+\r\n/g, '\r\n').replace(/[ \t]+/g, ' ');
}
