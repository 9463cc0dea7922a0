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

const HEX = '0123456789ABCDEF';
const escape = (b: number) => `=${HEX[b >> 4]}${HEX[b & 15]}`;
/** Longest encoded line before the soft-break `=`: 76 characters in all. */
const MAX = 75;
/** What must be escaped: everything but printable ASCII other than `=` (tabs too: canonical form). */
const UNSAFE = /[^\x20-\x3c\x3e-\x7e]/u;
const UNSAFE_ALL = /[^\x20-\x3c\x3e-\x7e]/gu;
/** The second and later spaces of a run, which DKIM's relaxed form would squeeze. */
const SPACE_RUN = / {2,}/g;
/** Escaped UTF-8 of code points seen so far (CJK text repeats them a lot). */
const escapedCache = new Map<number, string>();

function escapedUtf8(ch: string): string {
  // A lone surrogate becomes U+FFFD, as Buffer.from would make it.
  const cp = ch.codePointAt(0)!;
  let hit = escapedCache.get(cp);
  if (hit === undefined) {
    hit = '';
    for (const b of Buffer.from(ch, 'utf8')) hit += escape(b);
    if (escapedCache.size < 65_536) escapedCache.set(cp, hit);
  }
  return hit;
}

/**
 * Encodes one line (no line breaks in it): escapes with one native regex pass, then cuts
 * 75-character pieces joined by soft breaks, never inside an `=XX` escape.
 */
function encodeLine(line: string, out: string[]): void {
  let enc = UNSAFE.test(line) ? line.replace(UNSAFE_ALL, escapedUtf8) : line;
  if (enc.includes('  ')) enc = enc.replace(SPACE_RUN, (run) => ' ' + '=20'.repeat(run.length - 1));
  // Trailing white space would be stripped in transit.
  const last = enc.charCodeAt(enc.length - 1);
  if (last === 32) enc = enc.slice(0, -1) + escape(last);
  const length = enc.length;
  let pos = 0;
  while (pos < length) {
    // A dot opening a physical line invites SMTP mangling.
    let head = '';
    if (enc.charCodeAt(pos) === 46) {
      head = '=2E';
      pos++;
    }
    let end = pos + MAX - head.length;
    if (end >= length) {
      out.push(head + enc.slice(pos));
      return;
    }
    // Every "=" here starts an escape; move the cut before one that would straddle it.
    if (enc.charCodeAt(end - 1) === 61) end -= 1;
    else if (enc.charCodeAt(end - 2) === 61) end -= 2;
    out.push(head + enc.slice(pos, end), '=\r\n');
    pos = end;
  }
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
