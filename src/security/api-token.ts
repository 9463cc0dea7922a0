import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../errors.js';
import type { ApiTokenInfo } from '../store/api-token-repository.js';
import type { Store } from '../store/store.js';
import { DEFAULT_SCOPES, isApiScope, type ApiScope } from './api-scopes.js';

/**
 * Push-API tokens. A token is `tdk_` + 32 random bytes (base64url): it is shown once and only its
 * SHA-256 is stored, so a leaked database does not leak working tokens. Lookup is by that hash,
 * which reveals nothing about the token through timing (an attacker cannot steer the hash).
 */

const PREFIX = 'tdk_';
const TOKEN = /^tdk_[A-Za-z0-9_-]{43}$/;

/** SHA-256 of a token, hex. */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Reads `--scopes a,b` into known scopes, or throws USAGE naming the unknown ones. */
export function parseScopes(value: string | undefined): ApiScope[] {
  if (value === undefined) return [...DEFAULT_SCOPES];
  const names = [...new Set(value.split(/[\s,]+/).filter(Boolean))];
  const unknown = names.filter((n) => !isApiScope(n));
  if (unknown.length > 0 || names.length === 0) {
    throw new AppError('USAGE', `unknown scope(s): ${unknown.join(', ') || '(none given)'}`, { hint: 'known scopes: articles:write' });
  }
  return names as ApiScope[];
}

/** Creates a token named `name` and returns it; the only time it exists in clear. */
export async function createApiToken(store: Pick<Store, 'apiTokens'>, name: string, scopes: ApiScope[], now: Date = new Date()): Promise<string> {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(name)) {
    throw new AppError('USAGE', `token name "${name}" must be 1–64 letters, digits, dots, dashes or underscores`);
  }
  const token = PREFIX + randomBytes(32).toString('base64url');
  if (!(await store.apiTokens.create(name, hashApiToken(token), scopes, now.toISOString()))) {
    throw new AppError('USAGE', `a token named "${name}" already exists`, { hint: `revoke it first: topic-digest api-tokens revoke ${name}` });
  }
  return token;
}

/** Who an Authorization header belongs to: a token, or why not (missing header, or no such token). */
export type Authentication = { ok: true; token: ApiTokenInfo } | { ok: false; reason: 'missing' | 'invalid' };

/** Checks `Authorization: Bearer <token>` against the stored hashes. */
export async function authenticate(store: Pick<Store, 'apiTokens'>, header: string | undefined): Promise<Authentication> {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!m) return { ok: false, reason: 'missing' };
  if (!TOKEN.test(m[1]!)) return { ok: false, reason: 'invalid' };
  const token = await store.apiTokens.byHash(hashApiToken(m[1]!));
  return token ? { ok: true, token } : { ok: false, reason: 'invalid' };
}
