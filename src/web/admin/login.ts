import type { FastifyInstance } from 'fastify';
import { escapeHtml } from '../../render/escape.js';
import { checkEmailAddress } from '../../subscribers/email-address.js';
import type { RouteContext } from '../web-context.js';
import { clearSessionCookie, LOGIN_TOKEN_TTL_MS, sessionSecretOf, SESSION_TTL_MS, setSessionCookie } from './session.js';

/** The services this route group uses. */
type Ctx = RouteContext<'config' | 'logger' | 'mailQueue', 'admin'>;

/**
 * `/admin/login`: no passwords. A listed address is emailed a one-time link; an unlisted one gets
 * the same page and no email, so the form does not reveal who is an admin. The link's GET only
 * shows a button (mail scanners follow GETs and would use up the token); its POST signs in.
 */

const LOGIN_RATE = { max: 10, timeWindow: 15 * 60_000 };
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{20,100}$/;

interface TokenParams {
  token: string;
}

/** The sign-in URL for a one-time token. */
export function adminLoginUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/admin/login/${token}`;
}

/** Registers the sign-in and sign-out routes (these alone under /admin need no session). */
export function registerAdminLogin(server: FastifyInstance, ctx: Ctx): void {
  const { app } = ctx;
  const loginPage = (reply: Parameters<Ctx['sendPage']>[0], data: object = {}, status = 200) =>
    ctx.sendPage(reply, { name: 'admin-login', title: 'Sign in to the console', status, data: { csrfToken: reply.generateCsrf(), ...data } });

  server.get('/admin/login', async (_request, reply) => loginPage(reply));

  server.post<{ Body: { email?: string } }>('/admin/login', { preHandler: ctx.csrfProtection, config: { rateLimit: LOGIN_RATE } }, async (request, reply) => {
    const raw = typeof request.body?.email === 'string' ? request.body.email.slice(0, 320) : '';
    const checked = checkEmailAddress(raw);
    const email = checked.ok ? checked.email.toLowerCase() : undefined;
    // Listed or not, over the limit or not, the page is the same.
    if (email && app.config.admin.emails.includes(email) && ctx.addressLimiter.tryConsume(`admin:${email}`)) {
      const token = await app.store.admin.createLoginToken(email, new Date(), LOGIN_TOKEN_TTL_MS);
      const url = adminLoginUrl(app.config.web.publicUrl, token);
      await app.mailQueue.enqueue('admin-login', {
        to: { address: email },
        subject: `Sign in to the ${app.config.mail.senderName} console`,
        text: `Sign in to the console with this link. It works once, for 15 minutes:\n\n${url}\n\nIf you did not ask for it, ignore this email.\n`,
        html: `<p>Sign in to the console with this link. It works once, for 15 minutes:</p><p><a href="${escapeHtml(url)}">${escapeHtml(url)}</a></p><p>If you did not ask for it, ignore this email.</p>`,
      });
      app.logger.info('console sign-in link sent', { admin: email });
    }
    return ctx.sendPage(reply, { name: 'admin-login-sent', title: 'Check your email' });
  });

  server.get<{ Params: TokenParams }>('/admin/login/:token', async (request, reply) => {
    if (!TOKEN_PATTERN.test(request.params.token)) return loginPage(reply, { problem: 'That sign-in link is not valid. Ask for a new one.' }, 400);
    return ctx.sendPage(reply, {
      name: 'admin-login-confirm',
      title: 'Sign in to the console',
      data: { csrfToken: reply.generateCsrf(), path: `/admin/login/${request.params.token}` },
    });
  });

  server.post<{ Params: TokenParams }>('/admin/login/:token', { preHandler: ctx.csrfProtection, config: { rateLimit: LOGIN_RATE } }, async (request, reply) => {
    const { token } = request.params;
    const now = new Date();
    const email = TOKEN_PATTERN.test(token) ? await app.store.admin.consumeLoginToken(token, now) : undefined;
    if (!email || !app.config.admin.emails.includes(email)) {
      return loginPage(reply, { problem: 'That sign-in link is not valid, has expired or was already used. Ask for a new one.' }, 400);
    }
    setSessionCookie(ctx, reply, await app.store.admin.createSession(email, now, SESSION_TTL_MS));
    app.logger.info('console sign-in', { admin: email });
    return reply.redirect('/admin', 303);
  });

  server.post('/admin/logout', { preHandler: ctx.csrfProtection }, async (request, reply) => {
    const secret = sessionSecretOf(ctx, request);
    if (secret) await app.store.admin.deleteSession(secret);
    clearSessionCookie(ctx, reply);
    return reply.redirect('/admin/login', 303);
  });
}
