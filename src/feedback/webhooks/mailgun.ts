import { createHmac } from 'node:crypto';
import { bounceKind } from '../status-codes.js';
import { obj, providerReport, sameSecret, str, type ProviderEvent } from './provider-event.js';

/**
 * Mailgun webhooks: `signature.signature` is HMAC-SHA256 of `timestamp + token` under the
 * webhook signing key (Mailgun docs, "Securing webhooks").
 */

/** Whether a Mailgun webhook body carries a valid signature for this signing key. */
export function mailgunSignatureValid(body: unknown, signingKey: string): boolean {
  const sig = obj(body, 'signature');
  const timestamp = str(sig, 'timestamp');
  const token = str(sig, 'token');
  const signature = str(sig, 'signature');
  if (!timestamp || !token || !signature) return false;
  const expected = createHmac('sha256', signingKey).update(timestamp + token).digest('hex');
  return sameSecret(signature.toLowerCase(), expected);
}

/** The event in a (verified) Mailgun webhook body. */
export function mailgunEvent(body: unknown): ProviderEvent | undefined {
  const e = obj(body, 'event-data');
  const id = str(e, 'id');
  const event = str(e, 'event');
  if (!e || !id || !event) return undefined;
  const status = obj(e, 'delivery-status');
  const code = str(status, 'code');
  const enhanced = /^[245]\.\d{1,3}\.\d{1,3}$/.exec(str(status, 'enhanced-code') ?? '')?.[0];
  const text = [str(status, 'message'), str(status, 'description')].filter(Boolean).join(' ');
  const fields = {
    recipient: str(e, 'recipient'),
    messageId: str(obj(obj(e, 'message'), 'headers'), 'message-id'),
    date: str(e, 'timestamp') ? new Date(Number(str(e, 'timestamp')) * 1000).toISOString() : undefined,
  };
  if (event === 'complained') return { eventId: id, report: providerReport('mailgun', 'complaint', 'Mailgun complaint', fields) };
  if (event === 'failed') {
    const permanent = str(e, 'severity') === 'permanent';
    const st = enhanced ?? (permanent ? '5.0.0' : '4.0.0');
    const kind = permanent ? bounceKind(st.startsWith('4') ? '5.0.0' : st, text) : 'soft';
    return { eventId: id, report: providerReport('mailgun', kind, `Mailgun ${str(e, 'severity') ?? ''} failure ${code ?? ''} ${text}`, { ...fields, status: st }) };
  }
  return { eventId: id, report: providerReport('mailgun', 'ignored', `Mailgun ${event} is not a bounce or complaint`, fields) };
}
