import { AppError } from '../errors.js';

/**
 * Bytes → text by the encoding the document declares: a byte-order mark first, then the HTTP
 * charset, then the XML declaration, else UTF-8 (RFC 7303's order). Node's TextDecoder knows
 * ISO-8859-1 and Windows-1252 (WHATWG maps the former onto the latter, which is what browsers do).
 */

const BOMS: Array<[number[], string]> = [
  [[0xef, 0xbb, 0xbf], 'utf-8'],
  [[0xfe, 0xff], 'utf-16be'],
  [[0xff, 0xfe], 'utf-16le'],
];

function bomEncoding(bytes: Uint8Array): string | null {
  for (const [bom, name] of BOMS) if (bom.every((b, i) => bytes[i] === b)) return name;
  return null;
}

function httpCharset(contentType: string | null): string | null {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return m?.[1] ?? null;
}

function xmlDeclared(bytes: Uint8Array): string | null {
  // The declaration is ASCII in every encoding we read, so a latin1 look at the head is safe.
  const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1');
  const m = /^<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head);
  return m?.[1] ?? null;
}

/** Windows-1252's 0x80–0x9F; undefined slots stay as the C1 control, as browsers do. */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
const LATIN_LABELS = /^(iso-?8859-1|latin-?1|l1|windows-1252|cp1252|us-ascii|ascii|iso_8859-1(:1987)?|cp819|ibm819)$/i;

/**
 * WHATWG decodes every ISO-8859-1 label as Windows-1252 (feeds that say latin-1 really use its
 * curly quotes and euro sign), but Node 20's TextDecoder decodes them as plain latin-1, leaving
 * C1 controls where the quotes were. So these labels are decoded here, the same on every Node.
 */
function decodeCp1252(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80]! : String.fromCharCode(b);
  return out;
}

/** Decodes `bytes`; `origin` names the file or URL in the error for an encoding we cannot read. */
export function decodeText(bytes: Uint8Array, contentType: string | null, origin: string): string {
  const label = bomEncoding(bytes) ?? httpCharset(contentType) ?? xmlDeclared(bytes) ?? 'utf-8';
  if (LATIN_LABELS.test(label.trim())) return decodeCp1252(bytes);
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label.toLowerCase());
  } catch (cause) {
    throw new AppError('INPUT_INVALID', `${origin}: unknown character encoding "${label}"`, {
      cause,
      hint: 'serve the feed as UTF-8, ISO-8859-1 or Windows-1252; nothing from it was saved',
    });
  }
  // TextDecoder strips a BOM of its own encoding.
  return decoder.decode(bytes);
}
