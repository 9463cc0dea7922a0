/**
 * Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069). In a name or a
 * report line they reorder whatever follows them on the line, so a value can pass for another or
 * hide text ("Trojan Source"). The joiners (U+200C, U+200D), which real names and emoji use, are
 * not among them.
 */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/u;
const BIDI_CONTROLS = new RegExp(BIDI_CONTROL.source, 'gu');

/** True when `text` holds a bidirectional control (see {@link BIDI_CONTROL}). */
export function hasBidiControl(text: string): boolean {
  return BIDI_CONTROL.test(text);
}

/**
 * Quotes a user-supplied value for an error message. JSON quoting escapes line breaks and control
 * characters, so a hostile cell cannot forge extra lines in the report; bidirectional controls
 * are escaped too, so it cannot reorder the rest of the line in a terminal; long values are cut
 * short so one huge cell keeps the report readable.
 */
export function show(value: string, max = 80): string {
  const cut = value.length > max ? value.slice(0, max) + '…' : value;
  return JSON.stringify(cut).replace(BIDI_CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}
