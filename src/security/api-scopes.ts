/**
 * What an API token may do. A scope is `resource:action`; a route declares the one it needs and
 * the token must carry it. Later APIs add their scopes here (e.g. `subscribers:read`,
 * `subscribers:write`, `stats:read`) and nothing else changes: tokens, the CLI and the 403 check
 * all read this list.
 */
export const API_SCOPES = {
  'articles:write': 'create, update and withdraw stories through /api/v1/articles',
  'subscribers:read': 'list, read and export subscribers through /api/v1/subscribers',
  'subscribers:write': 'create, change and delete subscribers through /api/v1/subscribers',
  'stats:read': 'read delivery statistics and editions (/api/v1/stats, /api/v1/editions)',
} as const;

/** One known scope. */
export type ApiScope = keyof typeof API_SCOPES;

/** The scopes a new token gets when none are named. */
export const DEFAULT_SCOPES: ApiScope[] = ['articles:write'];

/** True when `value` names a known scope. */
export function isApiScope(value: string): value is ApiScope {
  return Object.hasOwn(API_SCOPES, value);
}
