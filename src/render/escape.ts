/**
 * HTML escaping shared by the personaliser and the web pages. Escapes the five characters that
 * matter in both text and quoted attributes, so one helper is safe in either place.
 */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes `&`, `<`, `>`, `"` and `'` for HTML text or a quoted attribute value. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** Collapses CR, LF, tabs and runs of white space to single spaces: what a subject line needs. */
export function singleLine(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\s\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();
}
