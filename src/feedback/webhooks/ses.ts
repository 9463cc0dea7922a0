import { createVerify, X509Certificate, type KeyObject } from 'node:crypto';
import { bounceKind } from '../status-codes.js';
import { obj, providerReport, str, type ProviderEvent } from './provider-event.js';

/**
 * Amazon SES notifications, delivered by SNS. Every SNS message is signed with a certificate SNS
 * publishes at SigningCertURL; the certificate is fetched only from an https URL on
 * sns.<region>.amazonaws.com (so a forged message cannot point us at its own key), cached, and
 * the signature checked before anything is read.
 */

/** The SNS envelope fields we use. */
export interface SnsMessage {
  Type: string;
  MessageId: string;
  TopicArn: string;
  Message: string;
  Timestamp: string;
  SignatureVersion: string;
  Signature: string;
  SigningCertURL: string;
  Subject?: string;
  SubscribeURL?: string;
  Token?: string;
}

/** Fetches a URL's body as text (the internet, injected in tests). */
export type FetchText = (url: string) => Promise<string>;

/** Reads an SNS envelope from a parsed body, or undefined when fields are missing. */
export function parseSnsMessage(body: unknown): SnsMessage | undefined {
  const need = ['Type', 'MessageId', 'TopicArn', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL'] as const;
  const out: Record<string, string> = {};
  for (const k of need) {
    const v = str(body, k);
    if (v === undefined) return undefined;
    out[k] = v;
  }
  for (const k of ['Subject', 'SubscribeURL', 'Token']) {
    const v = str(body, k);
    if (v !== undefined) out[k] = v;
  }
  return out as unknown as SnsMessage;
}

/** True for https://sns.<region>.amazonaws.com(.cn)/… URLs: the only place SNS keys and confirmations live. */
export function isSnsUrl(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const u = new URL(url);
  return u.protocol === 'https:' && !u.username && !u.password && (u.port === '' || u.port === '443') && /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/.test(u.hostname);
}

/** The canonical string SNS signs (docs: "Verifying the signatures of Amazon SNS messages"). */
export function snsStringToSign(m: SnsMessage): string {
  const keys = m.Type === 'Notification' ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  let s = '';
  for (const k of keys) {
    const v = (m as unknown as Record<string, string | undefined>)[k];
    if (v !== undefined) s += `${k}\n${v}\n`;
  }
  return s;
}

/** Verifies SNS signatures, caching certificates by URL. */
export function createSnsVerifier(fetchText: FetchText): (m: SnsMessage) => Promise<boolean> {
  const keys = new Map<string, Promise<KeyObject>>();
  const keyFor = (url: string) => {
    let k = keys.get(url);
    if (!k) {
      // SNS has a handful of certificates; a bounded cache keeps forged URLs from growing it.
      if (keys.size >= 32) keys.delete(keys.keys().next().value!);
      k = fetchText(url).then((pem) => {
        const cert = new X509Certificate(pem);
        if (Date.parse(cert.validTo) < Date.now()) throw new Error(`the SNS certificate at ${url} has expired`);
        return cert.publicKey;
      });
      // A failed fetch is not cached: the next message tries again.
      k.catch(() => keys.delete(url));
      keys.set(url, k);
    }
    return k;
  };
  return async (m) => {
    if (!isSnsUrl(m.SigningCertURL)) return false;
    const algorithm = m.SignatureVersion === '1' ? 'RSA-SHA1' : m.SignatureVersion === '2' ? 'RSA-SHA256' : undefined;
    if (!algorithm) return false;
    const key = await keyFor(m.SigningCertURL);
    return createVerify(algorithm).update(snsStringToSign(m), 'utf8').verify(key, m.Signature, 'base64');
  };
}

/** The bounces and complaints in one SES notification (SNS `Message`), one event per recipient. */
export function sesEvents(message: string, snsMessageId: string): ProviderEvent[] {
  let n: unknown;
  try {
    n = JSON.parse(message);
  } catch {
    return [];
  }
  const type = str(n, 'notificationType') ?? str(n, 'eventType');
  const mail = obj(n, 'mail');
  const messageId = str(obj(mail, 'commonHeaders'), 'messageId') ?? headerOf(mail, 'Message-ID');
  const base = { messageId, date: str(mail, 'timestamp') };
  if (type === 'Bounce') {
    const b = obj(n, 'bounce');
    const bounceType = str(b, 'bounceType') ?? 'Undetermined';
    const recipients = Array.isArray(b?.bouncedRecipients) ? (b.bouncedRecipients as unknown[]) : [];
    return recipients.map((r, i) => {
      const status = /^[245]\.\d{1,3}\.\d{1,3}/.exec(str(r, 'status') ?? '')?.[0];
      const diagnostic = str(r, 'diagnosticCode') ?? '';
      const kind = bounceType === 'Permanent' ? 'hard' : status ? bounceKind(status, diagnostic) : 'soft';
      const summary = `SES ${bounceType}/${str(b, 'bounceSubType') ?? 'General'}${status ? ` ${status}` : ''} ${diagnostic}`;
      return { eventId: `${snsMessageId}#${i}`, report: providerReport('ses', kind, summary, { ...base, recipient: str(r, 'emailAddress'), status }) };
    });
  }
  if (type === 'Complaint') {
    const c = obj(n, 'complaint');
    const recipients = Array.isArray(c?.complainedRecipients) ? (c.complainedRecipients as unknown[]) : [];
    const feedbackType = str(c, 'complaintFeedbackType');
    const kind = feedbackType === 'not-spam' ? 'ignored' : 'complaint';
    return recipients.map((r, i) => ({
      eventId: `${snsMessageId}#${i}`,
      report: providerReport('ses', kind, `SES complaint${feedbackType ? ` (${feedbackType})` : ''}`, { ...base, recipient: str(r, 'emailAddress') }),
    }));
  }
  return [{ eventId: snsMessageId, report: providerReport('ses', 'ignored', `SES ${type ?? 'notification'} is not a bounce or complaint`, base) }];
}

function headerOf(mail: Record<string, unknown> | undefined, name: string): string | undefined {
  const headers = Array.isArray(mail?.headers) ? (mail.headers as unknown[]) : [];
  return headers.map((h) => (str(h, 'name')?.toLowerCase() === name.toLowerCase() ? str(h, 'value') : undefined)).find(Boolean);
}
