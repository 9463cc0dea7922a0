import { domainToASCII } from 'node:url';
import addressparser from 'nodemailer/lib/addressparser';
import { headerSafe } from '../headers.js';

/**
 * Header fields written as bytes: RFC 2047 encoded words for non-ASCII text, RFC 5322 quoting for
 * display names, and folding at 76 columns. Every value goes through headerSafe first, so no
 * reader-supplied CR/LF can start a header of its own.
 */

/** One mailbox: a display name (may be empty) and an address. */
export interface Mailbox {
  name?: string | null;
  address: string;
}

// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7f]/;
/** RFC 5322 atext plus space: a display name made only of these needs no quotes. */
const PLAIN_PHRASE = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~ ]+$/;
/** Bytes of UTF-8 per encoded word: 39 bytes make 52 base64 characters, 64 with the wrapper. */
const WORD_BYTES = 39;

/** RFC 2047 base64 encoded words, split on character boundaries, joined by a space. */
export function encodedWords(text: string): string {
  const words: string[] = [];
  let chunk = '';
  let size = 0;
  for (const ch of text) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (size + n > WORD_BYTES && chunk) {
      words.push(`=?UTF-8?B?${Buffer.from(chunk, 'utf8').toString('base64')}?=`);
      chunk = '';
      size = 0;
    }
    chunk += ch;
    size += n;
  }
  if (chunk) words.push(`=?UTF-8?B?${Buffer.from(chunk, 'utf8').toString('base64')}?=`);
  return words.join(' ');
}

/** Text a reader would see wrongly unless encoded: non-ASCII, or what looks like an encoded word. */
const NEEDS_ENCODING = /[^\x00-\x7f]|=\?/;

/**
 * Unstructured text (Subject, List-Id): as is when plain ASCII; otherwise the words from the first
 * to the last that need it become encoded words, so `Ünïcode News <digest.example>` keeps its
 * `<id>` readable for List-Id parsers.
 */
export function unstructured(text: string): string {
  const clean = headerSafe(text);
  if (!NEEDS_ENCODING.test(clean)) return clean;
  const words = clean.split(' ');
  const first = words.findIndex((w) => NEEDS_ENCODING.test(w));
  let last = words.length - 1;
  while (!NEEDS_ENCODING.test(words[last]!)) last--;
  return [words.slice(0, first).join(' '), encodedWords(words.slice(first, last + 1).join(' ')), words.slice(last + 1).join(' ')].filter(Boolean).join(' ');
}

function displayName(name: string): string {
  if (NEEDS_ENCODING.test(name)) return encodedWords(name);
  if (PLAIN_PHRASE.test(name)) return name;
  return `"${name.replace(/[\\"]/g, '\\$&')}"`;
}

/** The address with its domain lower-cased and in IDNA (punycode) form, as nodemailer writes it. */
function asciiAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 0) return address;
  const domain = address.slice(at + 1);
  return `${address.slice(0, at)}@${domainToASCII(domain) || domain.toLowerCase()}`;
}

/** A mailbox as a header value: `Name <a@b>`, or the bare address when there is no name. */
export function formatMailbox(box: Mailbox): string {
  const address = asciiAddress(headerSafe(box.address));
  const name = box.name ? headerSafe(box.name) : '';
  return name ? `${displayName(name)} <${address}>` : address;
}

/** Parses an address list such as `"Topic Digest" <digest@example.com>` into mailboxes. */
export function parseMailboxes(value: string): Mailbox[] {
  return (addressparser(value, { flatten: true }) as { name: string; address: string }[]).map((a) => ({ name: a.name, address: a.address }));
}

/** `Name: value` folded at spaces so lines stay near 76 columns, CRLF-terminated. */
export function headerLine(name: string, value: string): string {
  const line = `${name}: ${value}`;
  if (line.length <= 76) return `${line}\r\n`;
  const parts = line.split(' ');
  let out = parts[0]!;
  let width = out.length;
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i]!;
    if (width + 1 + part.length > 76) {
      out += `\r\n ${part}`;
      width = 1 + part.length;
    } else {
      out += ` ${part}`;
      width += 1 + part.length;
    }
  }
  return `${out}\r\n`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** An RFC 5322 date in UTC, e.g. `Mon, 30 Nov 2026 16:46:55 +0000`. */
export function rfc5322Date(d: Date): string {
  return `${DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}
