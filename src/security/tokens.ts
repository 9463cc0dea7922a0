import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed, URL-safe tokens for links in emails and pages. A token names its purpose and its
 * subscriber (by their random public id, so tokens reveal neither order nor head-count); its MAC
 * is keyed by the app secret *and* the subscriber's own signing key, so rotating one reader's key
 * revokes only their links. Exactly one spelling of a token verifies: unpadded base64url, no
 * trailing bytes. Checks run in constant time.
 */

/** What a token may be used for; a token for one purpose never passes for another. */
export type TokenPurpose = 'confirm' | 'unsubscribe' | 'preferences';

/** The readable part of a token, before its signature is checked. */
export interface TokenClaims {
  purpose: TokenPurpose;
  /** The subscriber's public id (20 hex digits), never their row id. */
  publicId: string;
  /**
   * Set instead of a usable `publicId` for an unsubscribe or preferences link made before
   * migration 007, which named the row id: those links are in readers' inboxes and must keep
   * working. New tokens never carry it.
   */
  legacyRowId?: number;
  /** Unix seconds; undefined means the token never expires (unsubscribe links). */
  expiresAt?: number;
}

/** Why a token was refused. */
export type TokenFailure = 'malformed' | 'forged' | 'expired' | 'wrong-purpose';

/** The outcome of {@link verifyToken}. */
export type TokenCheck = { ok: true; claims: TokenClaims } | { ok: false; reason: TokenFailure; claims?: TokenClaims };

const PURPOSES: Record<string, TokenPurpose> = { c: 'confirm', u: 'unsubscribe', p: 'preferences' };
const CODES: Record<TokenPurpose, string> = { confirm: 'c', unsubscribe: 'u', preferences: 'p' };

/** The MAC as the token spells it: 20 bytes, unpadded base64url (27 characters). */
function mac(secret: string, signingKey: string, payload: string): string {
  return createHmac('sha256', secret).update(signingKey).update('\0').update(payload).digest().subarray(0, 20).toString('base64url');
}

const PUBLIC_ID = /^[0-9a-f]{20}$/;
const LEGACY_ROW_ID = /^[1-9a-z][0-9a-z]{0,10}$/;

/** Creates a token for one subscriber and purpose. */
export function signToken(secret: string, signingKey: string, claims: TokenClaims): string {
  const payload = [CODES[claims.purpose], claims.publicId, claims.expiresAt?.toString(36) ?? ''].join('.');
  return `${payload}.${mac(secret, signingKey, payload)}`;
}

/** Reads a token's claims without trusting them, so the caller can look up the subscriber's key. */
export function readToken(token: string): TokenClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 4) return undefined;
  const [p, id, exp] = parts as [string, string, string, string];
  const purpose = PURPOSES[p];
  if (!purpose) return undefined;
  if (exp !== '' && !/^[1-9a-z][0-9a-z]{0,9}$/.test(exp)) return undefined;
  if (PUBLIC_ID.test(id)) return { purpose, publicId: id, ...(exp ? { expiresAt: Number.parseInt(exp, 36) } : {}) };
  // Old never-expiring links spelled the row id in base36 (at most 11 digits below 2^53).
  if (purpose !== 'confirm' && exp === '' && LEGACY_ROW_ID.test(id)) return { purpose, publicId: '', legacyRowId: Number.parseInt(id, 36) };
  return undefined;
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
  // Compared as text, not decoded bytes: Node's base64 decoder accepts `=` padding, `+/` and stray
  // trailing characters, so decoding first would let many spellings of one token verify.
  const given = Buffer.from(token.slice(token.lastIndexOf('.') + 1), 'utf8');
  const expected = Buffer.from(mac(secret, signingKey, token.slice(0, token.lastIndexOf('.'))), 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'forged' };
  if (claims.purpose !== purpose) return { ok: false, reason: 'wrong-purpose', claims };
  if (claims.expiresAt !== undefined && claims.expiresAt < nowSeconds) return { ok: false, reason: 'expired', claims };
  return { ok: true, claims };
}
