import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RouteContext } from '../web-context.js';

/** What the session helpers read: PUBLIC_URL, ADMIN_EMAILS and the sessions table. */
type SessionCtx = Pick<RouteContext<'config', 'admin'>, 'app'>;

/**
 * The console's session cookie. `__Host-` makes browsers refuse the cookie unless it is Secure,
 * host-only and Path=/, which stops a sibling subdomain from planting one; browsers also refuse
 * to store a `__Host-` cookie over plain http, so a plain-http install (local trials) uses an
 * ordinary name with the same other attributes.
 */

/** Sessions last 12 hours. */
export const SESSION_TTL_MS = 12 * 3_600_000;

/** Sign-in links work for 15 minutes. */
export const LOGIN_TOKEN_TTL_MS = 15 * 60_000;

/** The session cookie's name for an https (or plain-http) PUBLIC_URL. */
export function adminCookieName(secure: boolean): string {
  return secure ? '__Host-td_admin' : 'td_admin';
}

/** Whether the site is served over https (from PUBLIC_URL). */
export function isSecure(ctx: SessionCtx): boolean {
  return ctx.app.config.web.publicUrl.startsWith('https:');
}

/** Sets the session cookie. */
export function setSessionCookie(ctx: SessionCtx, reply: FastifyReply, secret: string): void {
  const secure = isSecure(ctx);
  reply.setCookie(adminCookieName(secure), secret, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: SESSION_TTL_MS / 1000 });
}

/** Clears the session cookie. */
export function clearSessionCookie(ctx: SessionCtx, reply: FastifyReply): void {
  const secure = isSecure(ctx);
  reply.clearCookie(adminCookieName(secure), { path: '/', httpOnly: true, sameSite: 'lax', secure });
}

/** The cookie's value, if the request carries one. */
export function sessionSecretOf(ctx: SessionCtx, request: FastifyRequest): string | undefined {
  const value = request.cookies[adminCookieName(isSecure(ctx))];
  return value && /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : undefined;
}

/** The signed-in address, if the request has a live session (and the address is still listed). */
export async function adminOf(ctx: SessionCtx, request: FastifyRequest): Promise<string | undefined> {
  const secret = sessionSecretOf(ctx, request);
  if (!secret) return undefined;
  const email = await ctx.app.store.admin.findSession(secret, new Date());
  // Removing an address from ADMIN_EMAILS ends its sessions at the next request.
  return email && ctx.app.config.admin.emails.includes(email) ? email : undefined;
}
