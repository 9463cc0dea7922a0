import { createPublicKey, createVerify, type KeyObject } from 'node:crypto';
import { statusFromText } from '../status-codes.js';
import { bounceKind } from '../status-codes.js';
import { providerReport, str, type ProviderEvent } from './provider-event.js';

/**
 * SendGrid's signed event webhook: an ECDSA (P-256, SHA-256) signature over the timestamp header
 * followed by the raw body, checked with the verification key SendGrid shows (base64 DER).
 */

/** Reads SendGrid's verification key: base64 DER (as SendGrid shows it) or PEM. */
export function sendgridKey(value: string): KeyObject {
  const text = value.trim();
  if (text.includes('BEGIN PUBLIC KEY')) return createPublicKey(text);
  return createPublicKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'spki' });
}

/** Whether the signature header is valid for this timestamp and exact raw body. */
export function sendgridSignatureValid(key: KeyObject, signature: string | undefined, timestamp: string | undefined, rawBody: Buffer): boolean {
  if (!signature || !timestamp) return false;
  try {
    return createVerify('sha256').update(timestamp).update(rawBody).verify(key, signature, 'base64');
  } catch {
    return false;
  }
}

/** The bounces and complaints in a (verified) SendGrid event batch. */
export function sendgridEvents(body: unknown): ProviderEvent[] {
  if (!Array.isArray(body)) return [];
  const out: ProviderEvent[] = [];
  for (const e of body) {
    const id = str(e, 'sg_event_id');
    const event = str(e, 'event');
    if (!id || !event) continue;
    const ts = Number(str(e, 'timestamp'));
    const fields = { recipient: str(e, 'email'), messageId: str(e, 'smtp-id'), date: Number.isFinite(ts) ? new Date(ts * 1000).toISOString() : undefined };
    const reason = str(e, 'reason') ?? str(e, 'response') ?? '';
    let report;
    if (event === 'spamreport') report = providerReport('sendgrid', 'complaint', 'SendGrid spam report', fields);
    else if (event === 'bounce' || event === 'deferred') {
      const status = /^[245]\.\d{1,3}\.\d{1,3}/.exec(str(e, 'status') ?? '')?.[0] ?? statusFromText(reason) ?? (event === 'deferred' ? '4.0.0' : '5.0.0');
      const blocked = str(e, 'type') === 'blocked';
      // A block is the receiving server refusing us (reputation, content), not a dead address.
      const kind = event === 'deferred' || blocked ? 'soft' : bounceKind(status, reason);
      report = providerReport('sendgrid', kind, `SendGrid ${blocked ? 'block' : event} ${status} ${reason}`, { ...fields, status });
    } else report = providerReport('sendgrid', 'ignored', `SendGrid ${event} is not a bounce or complaint`, fields);
    out.push({ eventId: id, report });
  }
  return out;
}
