import { AppError } from '../errors.js';

/** Parses a `--now` option into a Date, or the real clock when absent. */
export function parseNow(value: string | undefined): Date {
  if (value === undefined) return new Date();
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new AppError('USAGE', `--now ${JSON.stringify(value)} is not an ISO 8601 time`, { hint: 'e.g. --now 2026-11-27T07:30:00Z' });
  return d;
}
