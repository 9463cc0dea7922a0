/**
 * Quotes a user-supplied value for an error message. JSON quoting escapes line breaks and control
 * characters, so a hostile cell cannot forge extra lines in the report; long values are cut short
 * so one huge cell keeps the report readable.
 */
export function show(value: string, max = 80): string {
  const cut = value.length > max ? value.slice(0, max) + '…' : value;
  return JSON.stringify(cut);
}
