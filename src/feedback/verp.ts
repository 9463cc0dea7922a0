import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * VERP (variable envelope return path): each digest's envelope sender is
 * `bounces+<token>@domain`, so a bounce comes back addressed to the one delivery it concerns
 * however mangled its content is. The token is the delivery id (base 36) and 12 hex digits of
 * an HMAC under the app's secret: short, case-insensitive (some relays lower-case local parts)
 * and impossible to forge, so nobody can bounce someone else's address off the list.
 */
export interface Verp {
  /** The envelope sender for one delivery. */
  address(deliveryId: number): string;
  /** The delivery a VERP address among `addresses` names, if one carries a valid token. */
  deliveryIdIn(addresses: readonly string[]): number | undefined;
}

const MAC_HEX = 12;

/** Builds the VERP codec for `BOUNCE_ADDRESS` (a bare `local@domain`) and the app secret. */
export function createVerp(bounceAddress: string, secret: string): Verp {
  const at = bounceAddress.lastIndexOf('@');
  const local = bounceAddress.slice(0, at);
  const domain = bounceAddress.slice(at + 1);
  const mac = (id: string) => createHmac('sha256', secret).update(`verp\0${id}`).digest('hex').slice(0, MAC_HEX);
  const pattern = new RegExp(`^${escapeRegExp(local.toLowerCase())}\\+([0-9a-z]{1,11})-([0-9a-f]{${MAC_HEX}})@`, 'i');
  return {
    address: (deliveryId) => {
      const id = deliveryId.toString(36);
      return `${local}+${id}-${mac(id)}@${domain}`;
    },
    deliveryIdIn: (addresses) => {
      for (const a of addresses) {
        const m = pattern.exec(a.trim().toLowerCase());
        if (!m) continue;
        const given = Buffer.from(m[2]!, 'utf8');
        const expected = Buffer.from(mac(m[1]!), 'utf8');
        if (given.length === expected.length && timingSafeEqual(given, expected)) {
          const id = Number.parseInt(m[1]!, 36);
          if (Number.isSafeInteger(id)) return id;
        }
      }
      return undefined;
    },
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
