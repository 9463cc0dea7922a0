import { createApiToken } from '../../src/security/api-token.js';
import type { Store } from '../../src/store/store.js';

/** One API token per scope, by a short name, for "each scope admits its endpoints and no others" tests. */
export type ScopedTokens = Record<'read' | 'write' | 'stats' | 'articles', string>;

/** Creates a token for each scope of the API (see {@link ScopedTokens}). */
export async function tokensForEachScope(store: Store): Promise<ScopedTokens> {
  return {
    read: await createApiToken(store, 'reader', ['subscribers:read']),
    write: await createApiToken(store, 'writer', ['subscribers:write']),
    stats: await createApiToken(store, 'stats', ['stats:read']),
    articles: await createApiToken(store, 'cms', ['articles:write']),
  };
}
