import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { silentLogger } from '../../src/logger.js';
import { createApp, type App } from '../../src/main.js';
import type { OutgoingMessage } from '../../src/deliver/mailer.js';
import { buildServer, type BuildServerOptions } from '../../src/web/server.js';
import { createCaptureMailer, type CaptureMailer } from './capture-mailer.js';
import { tempDir, testConfig } from './env.js';

/**
 * An app over a temporary SQLite store, its web server (never listening: tests use `inject`) and
 * an in-memory mailer, plus helpers that behave like a browser filling in our forms: fetch the
 * page, keep the CSRF cookie, post the hidden token back.
 */

/** Form fields; arrays become repeated fields, like checkbox groups. */
export type FormFields = Record<string, string | string[] | undefined>;

/** The CSRF state a page handed out. */
export interface FormSession {
  cookies: Record<string, string>;
  csrf: string;
}

/** A harness for one test file or test. */
export interface WebHarness {
  app: App;
  server: FastifyInstance;
  mailer: CaptureMailer;
  get(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  /** GETs a page with a form and returns its CSRF cookie and token. */
  openForm(url: string): Promise<FormSession & { response: LightMyRequestResponse }>;
  /** POSTs url-encoded fields, with a session's cookie and token unless `session` is null. */
  post(url: string, fields: FormFields, session: FormSession | null, extra?: { remoteAddress?: string; headers?: Record<string, string> }): Promise<LightMyRequestResponse>;
  /** Opens the signup page and submits it. */
  signup(fields: FormFields, extra?: { remoteAddress?: string }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** Encodes fields as application/x-www-form-urlencoded, repeating array fields. */
export function encodeForm(fields: FormFields): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    for (const item of Array.isArray(v) ? v : [v]) p.append(k, item);
  }
  return p.toString();
}

/** The hidden CSRF token in a page, if any. */
export function csrfTokenIn(html: string): string | undefined {
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
}

/** The first URL in a message's text part that starts with `prefix` (e.g. `${publicUrl}/confirm/`). */
export function linkIn(message: Pick<OutgoingMessage, 'text'>, prefix: string): string {
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`${escaped}[^\\s>"')\\]]+`).exec(message.text);
  if (!m) throw new Error(`no link starting ${prefix} in:\n${message.text}`);
  return m[0];
}

/** The path of an absolute URL, for `inject`. */
export function pathOf(url: string): string {
  const u = new URL(url);
  return u.pathname + u.search;
}

/** Creates the harness; `env` overrides config variables. */
export async function startWebHarness(env: Record<string, string> = {}, options: BuildServerOptions = {}): Promise<WebHarness> {
  const { dir, cleanup } = tempDir('topic-digest-web-');
  const mailer = createCaptureMailer();
  const app = await createApp(testConfig(dir, { PUBLIC_URL: 'https://digest.example', ...env }), { logger: silentLogger, mailer });
  const server = await buildServer(app, options);

  const cookiesOf = (r: LightMyRequestResponse) => Object.fromEntries(r.cookies.map((c) => [c.name, c.value]));
  const harness: WebHarness = {
    app,
    server,
    mailer,
    get: (url, headers = {}) => server.inject({ method: 'GET', url, headers }),
    openForm: async (url) => {
      const response = await server.inject({ method: 'GET', url });
      const csrf = csrfTokenIn(response.body);
      if (!csrf) throw new Error(`no CSRF token on ${url} (status ${response.statusCode})`);
      return { response, csrf, cookies: cookiesOf(response) };
    },
    // Pages only queue mail; waiting for this process's sender keeps `mailer.sent` checks exact.
    post: (url, fields, session, extra = {}) =>
      server
        .inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...extra.headers },
        payload: encodeForm(session ? { _csrf: session.csrf, ...fields } : fields),
        ...(session ? { cookies: session.cookies } : {}),
        ...(extra.remoteAddress ? { remoteAddress: extra.remoteAddress } : {}),
        })
        .then(async (response) => {
          await app.mailQueue.sender.idle();
          return response;
        }),
    signup: async (fields, extra = {}) => harness.post('/subscribe', { timezone: 'Europe/London', ...fields }, await harness.openForm('/'), extra),
    close: async () => {
      await server.close();
      await app.close();
      cleanup();
    },
  };
  return harness;
}
