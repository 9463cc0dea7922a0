// Poll intervals (`30s`, `15m`, `1h30m`): a module of its own so that command definitions can
// show the minimum without loading the config schema (zod).

/** The shortest polling interval a source may have: anything faster is rude to the publisher. */
export const MIN_POLL_SECONDS = 30;

/** Reads an interval such as `30s`, `15m`, `2h`, `1h30m` or `1d` into seconds; undefined if unreadable. */
export function parseInterval(text: string): number | undefined {
  const v = text.trim().toLowerCase();
  if (!/^(\d+[smhd])+$/.test(v)) return undefined;
  const unit = { s: 1, m: 60, h: 3600, d: 86400 } as const;
  let total = 0;
  for (const m of v.matchAll(/(\d+)([smhd])/g)) total += Number(m[1]) * unit[m[2] as keyof typeof unit];
  return total;
}
