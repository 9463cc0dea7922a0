import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed, URL-safe tokens for links in emails and pages. A token names its purpose and its
 * subscriber; its MAC is keyed by the app secret *and* the subscriber's own signing key, so
 * rotating one reader's key revokes only their links. Checks run in constant time.
 */

/** What a token may be used for; a token for one purpose never passes for another. */
export type TokenPurpose = 'confirm' | 'unsubscribe' | 'preferences';

/** The readable part of a token, before its signature is checked. */
export interface TokenClaims {
  purpose: TokenPurpose;
  subscriberId: number;
  /** Unix seconds; undefined means the token never expires (unsubscribe links). */
  expiresAt?: number;
}

/** Why a token was refused. */
export type TokenFailure = 'malformed' | 'forged' | 'expired' | 'wrong-purpose';

/** The outcome of {@link verifyToken}. */
export type TokenCheck = { ok: true; claims: TokenClaims } | { ok: false; reason: TokenFailure; claims?: TokenClaims };

const PURPOSES: Record<string, TokenPurpose> = { c: 'confirm', u: 'unsubscribe', p: 'preferences' };
const CODES: Record<TokenPurpose, string> = { confirm: 'c', unsubscribe: 'u', preferences: 'p' };

function mac(secret: string, signingKey: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(signingKey).update('\0').update(payload).digest().subarray(0, 20);
}

/** Creates a token for one subscriber and purpose. */
export function signToken(secret: string, signingKey: string, claims: TokenClaims): string {
  const payload = [CODES[claims.purpose], claims.subscriberId.toString(36), claims.expiresAt?.toString(36) ?? ''].join('.');
  return `${payload}.${mac(secret, signingKey, payload).toString('base64url')}`;
}

/** Reads a token's claims without trusting them, so the caller can look up the subscriber's key. */
export function readToken(token: string): TokenClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 4) return undefined;
  const [p, id, exp] = parts as [string, string, string, string];
  const purpose = PURPOSES[p];
  const subscriberId = Number.parseInt(id, 36);
  if (!purpose || !/^[0-9a-z]{1,12}$/.test(id) || !Number.isSafeInteger(subscriberId)) return undefined;
  if (exp !== '' && !/^[0-9a-z]{1,10}$/.test(exp)) return undefined;
  return { purpose, subscriberId, ...(exp ? { expiresAt: Number.parseInt(exp, 36) } : {}) };
}

/**
 * Checks a token against the subscriber's signing key, the expected purpose and the clock.
 * The signature is checked before expiry so a forged token never learns whether it expired.
 */
export function verifyToken(
  secret: string,
  signingKey: string,
  token: string,
  purpose: TokenPurpose,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): TokenCheck {
  const claims = readToken(token);
  if (!claims) return { ok: false, reason: 'malformed' };
  const given = Buffer.from(token.slice(token.lastIndexOf('.') + 1), 'base64url');
  const expected = mac(secret, signingKey, token.slice(0, token.lastIndexOf('.')));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'forged' };
  if (claims.purpose !== purpose) return { ok: false, reason: 'wrong-purpose', claims };
  if (claims.expiresAt !== undefined && claims.expiresAt < nowSeconds) return { ok: false, reason: 'expired', claims };
  return { ok: true, claims };
}
