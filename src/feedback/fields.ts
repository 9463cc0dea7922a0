/**
 * Reading the "Name: value" blocks that RFC 3464 delivery-status and RFC 5965 feedback-report
 * parts are made of, and the header fields of a returned message.
 */

/** One block of fields; names lower-cased, the first occurrence of each kept. */
export type FieldBlock = Map<string, string>;

/** Splits a field text into blocks at blank lines, unfolding continuation lines. */
export function fieldBlocks(text: string): FieldBlock[] {
  const blocks: FieldBlock[] = [];
  for (const chunk of text.replace(/\r\n?/g, '\n').split(/\n[ \t]*\n/)) {
    const block: FieldBlock = new Map();
    for (const line of chunk.replace(/\n[ \t]+/g, ' ').split('\n')) {
      const m = /^([A-Za-z0-9-]+)[ \t]*:[ \t]*(.*)$/.exec(line);
      if (m && !block.has(m[1]!.toLowerCase())) block.set(m[1]!.toLowerCase(), m[2]!.trim());
    }
    if (block.size > 0) blocks.push(block);
  }
  return blocks;
}

/** `rfc822; user@example.com` → `user@example.com` (lower-cased); other address types are dropped. */
export function typedAddress(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const m = /^\s*(?:([A-Za-z0-9-]+)\s*;)?\s*<?([^<>\s;]+@[^<>\s;]+?)>?\s*$/.exec(value);
  if (!m || (m[1] && !/^(rfc822|utf-8)$/i.test(m[1]))) return undefined;
  return m[2]!.toLowerCase();
}

/** `smtp; 550 5.1.1 …` → `550 5.1.1 …`. */
export function typedText(value: string | undefined): string | undefined {
  if (!value) return undefined;
  return value.replace(/^\s*[A-Za-z0-9-]+\s*;\s*/, '').trim() || undefined;
}

const ADDRESS = /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?/g;

/** Every address in a text, lower-cased, in order of appearance, without repeats. */
export function addressesIn(text: string): string[] {
  return [...new Set((text.match(ADDRESS) ?? []).map((a) => a.toLowerCase()))];
}

/** Every value of one header field (at a line start, folded lines joined) in a message text. */
export function headerValues(text: string, name: string): string[] {
  const unfolded = text.replace(/\r\n?/g, '\n').replace(/\n[ \t]+/g, ' ');
  const re = new RegExp(`^${name}[ \\t]*:[ \\t]*(.+)$`, 'gim');
  return [...unfolded.matchAll(re)].map((m) => m[1]!.trim());
}

/** Date text → ISO, or undefined when it does not parse. */
export function isoDate(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const t = Date.parse(value.replace(/\s+\(.*\)\s*$/, ''));
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}
