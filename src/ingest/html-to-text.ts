/**
 * Turns feed HTML into plain paragraphs. The result is text, never markup: anything that looked
 * like a tag is gone and entities are decoded once, so renderers must escape it like any text.
 */

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ndash: '–', mdash: '—', hellip: '…',
  lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', laquo: '«', raquo: '»', bull: '•', middot: '·',
  copy: '©', reg: '®', trade: '™', euro: '€', pound: '£', yen: '¥', cent: '¢', deg: '°', times: '×',
  eacute: 'é', egrave: 'è', aacute: 'á', agrave: 'à', oacute: 'ó', uacute: 'ú', iacute: 'í',
  ntilde: 'ñ', ccedil: 'ç', auml: 'ä', ouml: 'ö', uuml: 'ü', szlig: 'ß', thinsp: ' ', ensp: ' ', emsp: ' ',
};

/** Decodes HTML entities in one pass, so `&amp;lt;` becomes `&lt;` and not `<`. Unknown names stay as written. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,7});/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

/** Collapses runs of whitespace (including non-breaking spaces) to one space and trims. */
export function collapseWhitespace(text: string): string {
  return text.replace(/[\s\u00a0]+/g, ' ').trim();
}

const PARAGRAPH = '\u0000';
const BLOCK_TAGS = 'p|div|br|li|ul|ol|h[1-6]|blockquote|tr|table|figure|figcaption|section|article|header|footer|hr|pre';
// Attribute values may contain '>' inside quotes; the alternation keeps them inside the tag.
const TAG = /<\/?[a-zA-Z][a-zA-Z0-9:-]*(?:[^>"']|"[^"]*"|'[^']*')*>/g;

/**
 * HTML to paragraphs of plain text joined by blank lines. Scripts, styles and comments are dropped
 * with their content; block elements become paragraph breaks; inline tags vanish.
 */
export function htmlToText(html: string): string {
  const marked = html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(script|style|noscript|template)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(new RegExp(`</?(?:${BLOCK_TAGS})\\b(?:[^>"']|"[^"]*"|'[^']*')*>`, 'gi'), PARAGRAPH)
    .replace(TAG, '')
    .replace(/<!\[CDATA\[|\]\]>/g, '');
  return marked
    .split(PARAGRAPH)
    .map((p) => collapseWhitespace(decodeEntities(p)))
    .filter((p) => p !== '')
    .join('\n\n');
}
