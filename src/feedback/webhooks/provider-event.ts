import { timingSafeEqual } from 'node:crypto';
import { noRefs, type FeedbackFormat, type FeedbackKind, type FeedbackReport } from '../report.js';

/** One provider event, classified, with the provider's id that makes a retry a no-op. */
export interface ProviderEvent {
  eventId: string;
  report: FeedbackReport;
}

/** Builds the report for one provider event. */
export function providerReport(
  format: FeedbackFormat,
  kind: FeedbackKind,
  summary: string,
  fields: { recipient?: string | undefined; status?: string | undefined; messageId?: string | undefined; date?: string | undefined },
): FeedbackReport {
  const refs = noRefs();
  const id = fields.messageId?.trim();
  if (id) refs.messageIds.push(id.startsWith('<') ? id : `<${id}>`);
  if (fields.date && !Number.isNaN(Date.parse(fields.date))) refs.date = new Date(fields.date).toISOString();
  return {
    kind,
    format,
    summary: summary.replace(/\s+/g, ' ').trim().slice(0, 300),
    refs,
    ...(fields.recipient ? { recipient: fields.recipient.trim().toLowerCase() } : {}),
    ...(fields.status ? { status: fields.status } : {}),
  };
}

/** Compares two secrets in constant time (lengths may differ). */
export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A string field of an untrusted object, or undefined. */
export function str(obj: unknown, key: string): string | undefined {
  const v = obj && typeof obj === 'object' ? (obj as Record<string, unknown>)[key] : undefined;
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

/** An object field of an untrusted object, or undefined. */
export function obj(o: unknown, key: string): Record<string, unknown> | undefined {
  const v = o && typeof o === 'object' ? (o as Record<string, unknown>)[key] : undefined;
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
