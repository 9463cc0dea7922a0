import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A subscriber as a test writes it into a file; `topics` may be omitted to test the error. */
export interface FixtureSubscriber {
  email?: unknown;
  name?: unknown;
  topics?: unknown;
  timezone?: unknown;
  [extra: string]: unknown;
}

let counter = 0;

/** A plausible subscriber; override any field. */
export function fixtureSubscriber(overrides: FixtureSubscriber = {}): FixtureSubscriber {
  counter++;
  return { email: `reader${counter}@example.com`, name: `Reader ${counter}`, topics: ['world'], timezone: 'Europe/London', ...overrides };
}

/** Writes a JSON subscriber file (a bare array, or `{subscribers: […]}` when `wrapped`) and returns its path. */
export function writeSubscribersJson(dir: string, rows: FixtureSubscriber[], options: { name?: string; wrapped?: boolean } = {}): string {
  const path = join(dir, options.name ?? `subscribers-${++counter}.json`);
  writeFileSync(path, JSON.stringify(options.wrapped ? { subscribers: rows } : rows, null, 2));
  return path;
}

/** Quotes one CSV cell the RFC 4180 way when it needs it. */
export function csvCell(value: string): string {
  return /[",\r\n]/.test(value) || /^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Writes a CSV subscriber file with the header `email,name,topics,timezone` (or `columns`) and
 * returns its path. Topic arrays are joined with `|`; missing values become empty cells. Data rows
 * start on line 2, so row i (0-based) is reported as `line ${i + 2}`.
 */
export function writeSubscribersCsv(
  dir: string,
  rows: FixtureSubscriber[],
  options: { name?: string; columns?: string[]; eol?: string; bom?: boolean } = {},
): string {
  const columns = options.columns ?? ['email', 'name', 'topics', 'timezone'];
  const eol = options.eol ?? '\n';
  const cell = (v: unknown) => (v === undefined || v === null ? '' : csvCell(Array.isArray(v) ? v.join('|') : String(v)));
  const lines = [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))];
  const path = join(dir, options.name ?? `subscribers-${++counter}.csv`);
  writeFileSync(path, (options.bom ? '\uFEFF' : '') + lines.join(eol) + eol);
  return path;
}
