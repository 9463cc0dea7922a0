import { isIP } from 'node:net';
import type { Store } from '../store/store.js';

/**
 * Consent evidence: for every signup, change and confirmation, when it happened, from where
 * (web form, import file, API, CLI command), from which network and browser, and the wording of
 * the consent line the reader saw. Stored through {@link recordConsentEvent} from every path.
 */

/**
 * The consent line the signup page shows, by version. Change the text only together with a new
 * version: old records keep pointing at the wording their reader actually saw.
 */
export const CONSENT_WORDING = Object.freeze({
  version: '2026-11-30',
  text: 'We use your address only to send the digest you choose here. Every email has a one-click unsubscribe link, and you can download or delete your data at any time.',
});

/** What happened. */
export type ConsentAction = 'signup' | 'confirm' | 'change' | 'import' | 'add' | 'unsubscribe';

/** One event to record. `ip` is the full client address; it is cut here unless `fullIp`. */
export interface ConsentEvent {
  subscriberId: number;
  action: ConsentAction;
  /** 'web:signup', 'web:preferences', 'import:<file name>', 'api', 'cli:subscribers add'. */
  source: string;
  ip?: string | null;
  userAgent?: string | null;
  /** True when the reader was shown {@link CONSENT_WORDING}. */
  shownWording?: boolean;
  details?: object | null;
}

/**
 * The network part of an address: IPv4 to its /24 ("203.0.113.0/24"), IPv6 to its /48
 * ("2001:db8:1::/48"). Enough to show a signup came from a plausible place without keeping
 * an identifier of one machine. IPv4-mapped IPv6 addresses count as IPv4.
 */
export function truncateIp(ip: string | null | undefined, full = false): string | null {
  if (!ip) return null;
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1] ?? ip;
  if (isIP(v4) === 4) return full ? v4 : `${v4.split('.').slice(0, 3).join('.')}.0/24`;
  if (isIP(ip) !== 6) return null;
  if (full) return ip;
  return `${expandIpv6(ip).slice(0, 3).map((h) => h.replace(/^0+(?=.)/, '')).join(':')}::/48`;
}

function expandIpv6(ip: string): string[] {
  const [head = '', tail = ''] = ip.split('%')[0]!.split('::');
  const a = head ? head.split(':') : [];
  const b = tail ? tail.split(':') : [];
  return [...a, ...Array<string>(Math.max(0, 8 - a.length - b.length)).fill('0'), ...b];
}

/** Stores one consent event. */
export async function recordConsentEvent(store: Pick<Store, 'consent'>, event: ConsentEvent, options: { fullIp: boolean; now: string }): Promise<void> {
  await store.consent.record({
    subscriberId: event.subscriberId,
    action: event.action,
    source: event.source,
    ip: truncateIp(event.ip, options.fullIp),
    // A user agent is free text from the client: bounded, and one line.
    userAgent: event.userAgent ? event.userAgent.replace(/[\r\n\t]+/g, ' ').slice(0, 512) : null,
    wording: event.shownWording ? CONSENT_WORDING : null,
    details: event.details ?? null,
    at: options.now,
  });
}
