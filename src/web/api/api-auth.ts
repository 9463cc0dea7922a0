import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiScope } from '../../security/api-scopes.js';
import { authenticate } from '../../security/api-token.js';
import type { Store } from '../../store/store.js';
import { AddressRateLimiter } from '../rate-limit.js';

/** An API error body: the same `{errors: [...]}` shape for every refusal. */
export function apiErrors(reply: FastifyReply, status: number, message: string, field = ''): FastifyReply {
  return reply.status(status).header('cache-control', 'no-store').send({ errors: [{ index: null, field, message }] });
}

/**
 * Builds an onRequest hook that admits a request only with a token carrying `scope`, within the
 * per-token rate. It runs before the body is read, so an unauthenticated client cannot make the
 * server buffer megabytes.
 */
export function requireScope(store: Pick<Store, 'apiTokens'>, scope: ApiScope, ratePerMinute: number) {
  const limiter = new AddressRateLimiter({ max: ratePerMinute, windowMs: 60_000 });
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const auth = await authenticate(store, request.headers.authorization);
    if (!auth.ok) {
      reply.header('www-authenticate', `Bearer realm="topic-digest"${auth.reason === 'invalid' ? ', error="invalid_token"' : ''}`);
      await apiErrors(reply, 401, auth.reason === 'missing' ? 'send Authorization: Bearer <token> (topic-digest api-tokens create)' : 'the token is not valid (revoked or mistyped)');
      return;
    }
    if (!auth.token.scopes.includes(scope)) {
      await apiErrors(reply, 403, `this token lacks the ${scope} scope`);
      return;
    }
    if (!limiter.tryConsume(String(auth.token.id))) {
      await apiErrors(reply.header('retry-after', '60'), 429, `over ${ratePerMinute} requests per minute for this token`);
      return;
    }
    await store.apiTokens.touch(auth.token.id, new Date().toISOString());
  };
}
