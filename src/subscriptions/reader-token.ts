import type { Subscriber } from '../model/subscriber.js';
import { readToken, verifyToken, type TokenFailure, type TokenPurpose } from '../security/tokens.js';
import type { Store } from '../store/store.js';

/**
 * Turns the token in a page URL into its reader. The token names a subscriber's public id; we load that
 * reader's signing key and only then check the MAC, so every failure before that point looks the
 * same as a forgery to the visitor.
 */

/** A token that checked out, or why not. `subscriber` is set for expired tokens whose signature is good. */
export type TokenLookup =
  | { ok: true; subscriber: Subscriber }
  | { ok: false; reason: TokenFailure; subscriber?: Subscriber };

/** Verifies `token` for `purpose` and loads its reader. */
export async function lookupSubscriberToken(
  store: Store,
  secret: string,
  token: string,
  purpose: TokenPurpose,
  now: Date = new Date(),
): Promise<TokenLookup> {
  if (token.length > 200) return { ok: false, reason: 'malformed' };
  const claims = readToken(token);
  if (!claims) return { ok: false, reason: 'malformed' };
  const subscriber = claims.legacyRowId !== undefined ? await store.subscribers.findById(claims.legacyRowId) : await store.subscribers.findByPublicId(claims.publicId);
  // An unknown id is reported as forged: it must not be distinguishable from a bad signature.
  if (!subscriber) return { ok: false, reason: 'forged' };
  const check = verifyToken(secret, subscriber.signingKey, token, purpose, Math.floor(now.getTime() / 1000));
  if (check.ok) return { ok: true, subscriber };
  return check.reason === 'expired' ? { ok: false, reason: 'expired', subscriber } : { ok: false, reason: check.reason };
}
