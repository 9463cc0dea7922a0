import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/**
 * Request logging at `debug`, through the app's pino logger that Fastify is given. Links in digests carry signed tokens in
 * their path (`/confirm/<token>`, `/unsubscribe/<token>`, `/preferences/<token>`), and a logged
 * token is a working link for whoever reads the logs, so no raw URL is ever logged.
 */

/** Path segments under these prefixes are credentials or personal, whatever follows them. */
const SECRET_PREFIXES = new Set(['confirm', 'unsubscribe', 'preferences', 'api', 'admin']);
/** A segment that is plainly a word (a page or an action), not a token or an id. */
const WORD = /^[a-z][a-z-]{0,23}$/;

/**
 * The URL as it may be logged: no query string (it may carry a token), and every path segment
 * after a token-bearing prefix, or that does not look like a plain word, replaced by `:redacted`.
 */
export function redactUrl(url: string): string {
  const path = url.split(/[?#]/, 1)[0] ?? '';
  const segments = path.split('/');
  let secret = false;
  const shown = segments.map((segment, i) => {
    if (i === 0 || segment === '') return segment;
    if (secret || !WORD.test(segment)) return ':redacted';
    if (i === 1 && SECRET_PREFIXES.has(segment)) secret = true;
    return segment;
  });
  return shown.join('/') + (path.length < url.length && url[path.length] === '?' ? '?:redacted' : '');
}

/** The route pattern when one matched (`/confirm/:token`), else the redacted URL. */
export function loggableUrl(request: FastifyRequest): string {
  return request.routeOptions.url ?? redactUrl(request.url);
}

/**
 * Fastify's request lines, changed in three ways: one line per request (when answered), at
 * `debug` rather than `info`, and with {@link loggableUrl} instead of the raw URL.
 */
export class RequestLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = { method: request.method, url: loggableUrl(request), status: reply.statusCode, ms: Math.round(reply.elapsedTime) };
    if (error) reply.log.error({ ...line, err: error }, 'web request failed');
    else reply.log.debug(line, 'web request');
  }

  override routeNotFound(request: FastifyRequest): void {
    request.log.debug({ method: request.method, url: redactUrl(request.url) }, 'no route');
  }
}

/** pino serializers for what Fastify itself logs, so its own lines never carry a raw URL either. */
export const requestSerializers = {
  req: (request: { method?: string; url?: string; routeOptions?: { url?: string } }) => ({
    method: request.method,
    url: request.routeOptions?.url ?? redactUrl(request.url ?? ''),
  }),
};
