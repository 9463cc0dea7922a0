/**
 * Stops outside text from forging personal-field tokens. Tokens look like `%%td:name%%`, so any
 * "%%" in an article must not survive rendering: in text a WORD JOINER (U+2060, invisible) goes
 * between the two percent signs; in URLs the first becomes "%25", its valid percent-encoding.
 * After this no two percent signs are adjacent, so no token can appear.
 */

/** Breaks every "%%" in display text with an invisible WORD JOINER. */
export function neutraliseText(value: string): string;
export function neutraliseText(value: string | null): string | null;
export function neutraliseText(value: string | null): string | null {
  // Most text has no "%%": skip the regex pass (every story field goes through here).
  return value === null || !value.includes('%%') ? value : value.replace(/%(?=%)/g, '%\u2060');
}

/** Percent-encodes the first of every "%%" in a URL (a bare "%" is invalid in a URL anyway). */
export function neutraliseUrl(value: string): string {
  return value.includes('%%') ? value.replace(/%(?=%)/g, '%25') : value;
}
