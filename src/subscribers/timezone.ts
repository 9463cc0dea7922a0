/**
 * Checks an IANA timezone name with the runtime's own database (the one every later date
 * calculation uses) and returns it with the canonical capitalisation, e.g. `asia/singapore` →
 * `Asia/Singapore`. Returns undefined for anything else, including UTC offsets like `+08:00`,
 * which newer runtimes accept but which ignore daylight saving.
 */
export function canonicalTimeZone(name: string): string | undefined {
  const value = name.trim();
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(value)) return undefined;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
  // ICU may resolve a link to another name (EST → America/Panama); keep the operator's zone and
  // only borrow the capitalisation.
  return resolved.toLowerCase() === value.toLowerCase() ? resolved : value;
}
