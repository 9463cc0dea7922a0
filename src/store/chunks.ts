/**
 * Rows per multi-row INSERT and values per `IN (…)` list. SQLite binds at most 32,766 parameters
 * per statement and PostgreSQL 65,535; these sizes stay far below both even for a wide row, and
 * keep each statement short enough not to hold the writer for long.
 */
export const IN_LIST_SIZE = 500;

/** Rows per batched INSERT: a delivery row binds nine values, so 200 rows bind 1,800. */
export const INSERT_BATCH_SIZE = 200;

/** Splits `items` into consecutive slices of at most `size`, in order; none for an empty list. */
export function chunked<T>(items: readonly T[], size = IN_LIST_SIZE): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer, got ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
