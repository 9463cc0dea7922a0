import type { FastifyError, FastifyInstance } from 'fastify';
import { isAppError } from '../errors.js';
import { loggableUrl } from './request-log.js';
import type { RouteContext } from './web-context.js';

/** The services this route group uses. */
type Ctx = RouteContext<'logger'>;

/**
 * Every failure becomes a friendly page with the right status. Only 5xx errors are logged with
 * detail; their message never reaches the visitor.
 */

interface Friendly {
  status: number;
  title: string;
  message: string;
}

function friendly(err: FastifyError): Friendly {
  const code = err.code ?? '';
  if (code.startsWith('FST_CSRF_')) {
    return { status: 403, title: 'This form has expired', message: 'For your security, forms only work for a while and only from this site. Go back, reload the page and try again.' };
  }
  const status = err.statusCode ?? (isAppError(err, 'INPUT_INVALID') ? 400 : 500);
  if (status === 429) return { status, title: 'Too many attempts', message: 'Please wait an hour and try again.' };
  if (status === 413) return { status, title: 'That was too much', message: 'The form you sent was too large.' };
  if (status === 415) return { status, title: 'Unsupported form', message: 'Please use the form on this site.' };
  if (status >= 400 && status < 500) return { status, title: 'Something is wrong with that request', message: 'Please go back and try again.' };
  return { status: 500, title: 'Something went wrong', message: 'We could not finish that. Please try again in a few minutes.' };
}

/** Installs the error and not-found handlers. */
export function registerErrorPages(server: FastifyInstance, ctx: Ctx): void {
  server.setErrorHandler((err: FastifyError, request, reply) => {
    const f = friendly(err);
    if (f.status >= 500) ctx.app.logger.error('web request failed', { method: request.method, url: loggableUrl(request), error: err });
    else ctx.app.logger.debug('web request refused', { method: request.method, status: f.status, code: err.code });
    return ctx.sendPage(reply, { name: 'error', title: f.title, data: { message: f.message }, status: f.status });
  });
  server.setNotFoundHandler((_request, reply) =>
    ctx.sendPage(reply, { name: 'error', title: 'Page not found', data: { message: 'There is nothing at this address.' }, status: 404 }),
  );
}
