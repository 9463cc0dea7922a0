import type { FastifyInstance } from 'fastify';
import { mailgunEvent, mailgunSignatureValid } from '../../feedback/webhooks/mailgun.js';
import { postmarkEvent } from '../../feedback/webhooks/postmark.js';
import { sendgridEvents, sendgridKey, sendgridSignatureValid } from '../../feedback/webhooks/sendgrid.js';
import { createSnsVerifier, type FetchText } from '../../feedback/webhooks/ses.js';
import { createRateWatch } from '../../feedback/stats.js';
import { badRequest, json, off, rawBody, store, type WebhookCtx } from './webhooks-common.js';
import { postmarkAuthorised, registerSesRoute } from './webhooks-ses.js';

/**
 * `POST /webhooks/{ses,postmark,mailgun,sendgrid}`: bounce and complaint events from sending
 * services. Each route is off (404) until its secret is configured; a request whose signature
 * or credentials do not check out gets 401 and nothing is stored; each event is recorded once,
 * by the provider's event id, so their retries change nothing.
 */

/** Options for the webhook routes. */
export interface WebhookOptions {
  /** Fetches SNS signing certificates and subscription confirmations (tests inject a local one). */
  fetchText?: FetchText;
}

/** Provider batches can be large (SendGrid sends up to a few thousand events at once). */
const WEBHOOK_BODY_LIMIT = 2 * 1024 * 1024;

/** Registers the four webhook routes under /webhooks. */
export async function registerWebhookRoutes(server: FastifyInstance, ctx: WebhookCtx, options: WebhookOptions = {}): Promise<void> {
  const hooks = ctx.app.config.feedback.webhooks;
  const watchRates = createRateWatch(ctx.app.store.feedback, ctx.app.logger);
  await server.register(
    async (scope) => {
      // Signatures cover the exact bytes, so bodies arrive raw and each route parses its own.
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT }, (_request, body, done) => done(null, body));

      registerSesRoute(scope, ctx, hooks.sesTopicArns, { verify: createSnsVerifier(options.fetchText ?? fetchSnsText), fetchText: options.fetchText ?? fetchSnsText, watchRates });

      scope.post('/postmark', async (request, reply) => {
        if (!hooks.postmark) return off(reply);
        if (!postmarkAuthorised(request.headers.authorization, hooks.postmark)) {
          return reply.status(401).header('www-authenticate', 'Basic realm="webhooks"').send({ error: 'bad credentials' });
        }
        const event = postmarkEvent(json(request));
        return event ? store(ctx, reply, 'postmark', [event], watchRates) : badRequest(reply, 'not a Postmark bounce or spam complaint');
      });

      scope.post('/mailgun', async (request, reply) => {
        if (!hooks.mailgunSigningKey) return off(reply);
        const body = json(request);
        if (!mailgunSignatureValid(body, hooks.mailgunSigningKey)) return reply.status(401).send({ error: 'bad signature' });
        const event = mailgunEvent(body);
        return event ? store(ctx, reply, 'mailgun', [event], watchRates) : badRequest(reply, 'no event-data with an id and event');
      });

      const sendgrid = hooks.sendgridPublicKey ? sendgridKey(hooks.sendgridPublicKey) : undefined;
      scope.post('/sendgrid', async (request, reply) => {
        if (!sendgrid) return off(reply);
        const signature = request.headers['x-twilio-email-event-webhook-signature'];
        const timestamp = request.headers['x-twilio-email-event-webhook-timestamp'];
        if (!sendgridSignatureValid(sendgrid, one(signature), one(timestamp), rawBody(request))) return reply.status(401).send({ error: 'bad signature' });
        const body = json(request);
        return Array.isArray(body) ? store(ctx, reply, 'sendgrid', sendgridEvents(body), watchRates) : badRequest(reply, 'expected a JSON array of events');
      });
    },
    { prefix: '/webhooks' },
  );
}

function one(h: string | string[] | undefined): string | undefined {
  return Array.isArray(h) ? h[0] : h;
}

/** The real fetcher: SNS hosts only (checked by the caller), no redirects, a timeout and a size cap. */
async function fetchSnsText(url: string): Promise<string> {
  const r = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(10_000) });
  if (!r.ok) throw new Error(`GET ${new URL(url).host} answered ${r.status}`);
  const text = await r.text();
  if (text.length > 64 * 1024) throw new Error('the response is too large');
  return text;
}
