import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed links that add topics to an active reader's digest (the double opt-in of a "Follow"
 * button used by someone who already subscribes). Like the other personal tokens the MAC is keyed
 * by the app secret and the reader's own signing key; it also covers the topics and the expiry,
 * so neither can be edited. Format: `f.<id36>.<exp36>.<slug+slug>.<mac>`.
 */

/** What a follow token grants. */
export interface FollowClaims {
  subscriberId: number;
  topics: string[];
  /** Unix seconds. */
  expiresAt: number;
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,63}$/;

function mac(secret: string, signingKey: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(signingKey).update('\0follow\0').update(payload).digest().subarray(0, 20);
}

/** Creates a follow token. */
export function signFollowToken(secret: string, signingKey: string, c: FollowClaims): string {
  const payload = ['f', c.subscriberId.toString(36), c.expiresAt.toString(36), c.topics.join('+')].join('.');
  return `${payload}.${mac(secret, signingKey, payload).toString('base64url')}`;
}

/** Reads the claims without trusting them (to find the reader whose key checks the MAC). */
export function readFollowToken(token: string): FollowClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 5 || parts[0] !== 'f' || token.length > 600) return undefined;
  const [, id, exp, topics] = parts as [string, string, string, string, string];
  if (!/^[0-9a-z]{1,12}$/.test(id) || !/^[0-9a-z]{1,10}$/.test(exp)) return undefined;
  const slugs = topics.split('+');
  if (!slugs.every((s) => SLUG.test(s))) return undefined;
  return { subscriberId: Number.parseInt(id, 36), expiresAt: Number.parseInt(exp, 36), topics: slugs };
}

/** Checks the MAC (in constant time) and then the expiry. */
export function verifyFollowToken(secret: string, signingKey: string, token: string, nowSeconds: number): 'ok' | 'forged' | 'expired' {
  const claims = readFollowToken(token);
  if (!claims) return 'forged';
  const cut = token.lastIndexOf('.');
  const given = Buffer.from(token.slice(cut + 1), 'base64url');
  const expected = mac(secret, signingKey, token.slice(0, cut));
  // Only canonical base64url: re-encoding must give back exactly what was sent.
  if (given.length !== expected.length || given.toString('base64url') !== token.slice(cut + 1) || !timingSafeEqual(given, expected)) return 'forged';
  return claims.expiresAt < nowSeconds ? 'expired' : 'ok';
}
