import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';

/**
 * Security headers, CSRF and per-IP rate limiting. The CSP allows only our own assets and no
 * inline code at all; the archive route loosens it for the email HTML it serves (see archive.ts).
 */

/** Names the CSRF cookie; `__Host-` needs https, so plain-http installs get an ordinary name. */
export function csrfCookieName(secure: boolean): string {
  return secure ? '__Host-td_csrf' : 'td_csrf';
}

/** The site's CSP directives: our own assets only, no inline code. Routes may widen `imgSrc`. */
export function siteCspDirectives(secure: boolean): Record<string, string[]> {
  return {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'"],
    connectSrc: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
    objectSrc: ["'none'"],
    // Upgrading on a plain-http install would send forms to a port nobody listens on.
    ...(secure ? { upgradeInsecureRequests: [] } : {}),
  };
}

/** Registers helmet, cookies + CSRF and the (route-opt-in) rate limiter. */
export async function registerSecurityPlugins(server: FastifyInstance, options: { secure: boolean }): Promise<void> {
  await server.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: siteCspDirectives(options.secure) },
    // HSTS on plain http is ignored by browsers and confusing in tests.
    strictTransportSecurity: options.secure ? { maxAge: 31_536_000 } : false,
    referrerPolicy: { policy: 'no-referrer' },
    frameguard: { action: 'deny' },
  });
  await server.register(cookie);
  await server.register(csrf, {
    cookieKey: csrfCookieName(options.secure),
    cookieOpts: { path: '/', sameSite: 'lax', httpOnly: true, secure: options.secure },
  });
  await server.register(rateLimit, {
    global: false,
    // An Error with statusCode lets the shared error handler render the friendly 429 page.
    errorResponseBuilder: (_request, context) => Object.assign(new Error('rate limited'), { statusCode: context.statusCode }),
  });
}
