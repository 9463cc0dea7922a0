/**
 * Quoted-printable (RFC 2045 §6.7) for bodies that are encoded once and spliced per reader. The
 * encoder always ends a segment on a line boundary, so a reader's value spliced between two
 * segments sits on its own encoded lines: no `=XX` escape or soft break can straddle a splice,
 * and DKIM's line-wise body canonicalisation can be computed per segment.
 *
 * The output is also already in DKIM "relaxed" canonical form (no tab, no run of spaces, no
 * white space before a line end): tabs and every space after a space are escaped. So a signer
 * hashes the body bytes as they are sent, in one pass over one buffer, instead of re-writing a
 * 60 KB canonical copy of every reader's message.
 */

/** Longest encoded line before the soft-break `=`: 76 characters in all. */
const MAX = 75;
const HEX = Buffer.from('0123456789ABCDEF', 'latin1');
const EQ = 61;
const CR = 13;
const LF = 10;

// What each byte is to the encoder (plain numbers: an enum would be an object read in the loop).
const LITERAL = 0;
const ESCAPE = 1;
const SPACE = 2;
const LINE_BREAK = 3;
const DOT = 4;
const KIND = new Uint8Array(256).fill(ESCAPE);
for (let b = 33; b <= 126; b++) KIND[b] = LITERAL;
KIND[EQ] = ESCAPE;
KIND[32] = SPACE;
KIND[CR] = LINE_BREAK;
KIND[LF] = LINE_BREAK;
KIND[46] = DOT;

/** Writes `=` CRLF at `o`; returns the next offset. (A closure over the offset would keep it off registers.) */
function softBreak(out: Buffer, o: number): number {
  out[o] = EQ;
  out[o + 1] = CR;
  out[o + 2] = LF;
  return o + 3;
}

/**
 * Encodes `text` (any line endings) as quoted-printable lines joined by CRLF. When `open` is true
 * the result ends in a soft line break, so the next segment starts a fresh encoded line and
 * decoding joins the two without a break; otherwise it ends with the last line's text.
 *
 * One pass over the UTF-8 bytes into one buffer: an edition's HTML is one long line full of `=`
 * (every attribute), and a regex replace calling back per escape cost about twice as much on the
 * sending thread. Escaped: bytes outside printable ASCII, `=`, tabs, every space after a space and
 * a space ending a line (DKIM relaxed form), and a dot opening a physical line (SMTP). Soft
 * breaks never split an `=XX` escape.
 */
export function encodeQuotedPrintable(text: string, open: boolean): string {
  if (text === '') return '';
  const src = Buffer.from(text, 'utf8');
  const n = src.length;
  // Worst case: every byte escaped (3 each) plus a 3-byte soft break per 73 output bytes.
  const out = Buffer.allocUnsafe(n * 3 + Math.ceil(n / 24) * 3 + 3);
  let o = 0;
  let col = 0;
  let afterSpace = false;
  for (let i = 0; i < n; i++) {
    const b = src[i]!;
    const kind = KIND[b]!;
    // The common case (most of an HTML line) first.
    if (kind === LITERAL || (kind === DOT && col !== 0 && col !== MAX)) {
      if (col === MAX) {
        o = softBreak(out, o);
        col = 0;
      }
      out[o++] = b;
      col++;
      afterSpace = false;
      continue;
    }
    if (kind === LINE_BREAK) {
      if (b === CR && src[i + 1] === LF) i++;
      out[o++] = CR;
      out[o++] = LF;
      col = 0;
      afterSpace = false;
      continue;
    }
    let escaped: boolean;
    if (kind === SPACE) {
      const next = i + 1 < n ? src[i + 1]! : LF;
      escaped = afterSpace || next === CR || next === LF;
      afterSpace = true;
    } else {
      // An unsafe byte, or a dot opening a line.
      escaped = kind === ESCAPE || col === 0;
      afterSpace = false;
    }
    if (col + (escaped ? 3 : 1) > MAX) {
      o = softBreak(out, o);
      col = 0;
      if (kind === DOT) escaped = true;
    }
    if (escaped) {
      out[o++] = EQ;
      out[o++] = HEX[b >> 4]!;
      out[o++] = HEX[b & 15]!;
      col += 3;
    } else {
      out[o++] = b;
      col++;
    }
  }
  // A segment ending in a line break already ends on a line boundary.
  const last = src[n - 1];
  if (open && last !== CR && last !== LF) o = softBreak(out, o);
  return out.toString('latin1', 0, o);
}

/** True when `lines` is its own relaxed canonical form (what the encoder above always produces). */
export function isRelaxedCanonical(lines: string): boolean {
  return !/\t| [ \r]/.test(lines);
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
