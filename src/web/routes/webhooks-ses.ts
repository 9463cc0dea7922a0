import type { FastifyInstance } from 'fastify';
import { sameSecret } from '../../feedback/webhooks/provider-event.js';
import { isSnsUrl, parseSnsMessage, sesEvents, type FetchText, type SnsMessage } from '../../feedback/webhooks/ses.js';
import { messageOf } from '../../errors.js';
import { badRequest, json, off, store, type WebhookCtx } from './webhooks-common.js';

/**
 * `POST /webhooks/ses`: SNS delivers SES bounce and complaint notifications. Only topics in
 * SES_TOPIC_ARNS are accepted; the signature is checked before anything else is read; a
 * SubscriptionConfirmation is confirmed by fetching its SubscribeURL (an SNS host only).
 */
export function registerSesRoute(
  scope: FastifyInstance,
  ctx: WebhookCtx,
  topicArns: readonly string[],
  { verify, fetchText, watchRates }: { verify: (m: SnsMessage) => Promise<boolean>; fetchText: FetchText; watchRates: () => Promise<void> },
): void {
  scope.post('/ses', async (request, reply) => {
    if (topicArns.length === 0) return off(reply);
    const m = parseSnsMessage(json(request));
    if (!m) return badRequest(reply, 'not an SNS message');
    if (!topicArns.includes(m.TopicArn)) return reply.status(403).send({ error: 'this SNS topic is not accepted here (SES_TOPIC_ARNS)' });
    let valid: boolean;
    try {
      valid = await verify(m);
    } catch (err) {
      ctx.app.logger.warn('could not fetch the SNS signing certificate', { url: m.SigningCertURL, error: messageOf(err) });
      return reply.status(503).send({ error: 'cannot verify the signature right now; retry later' });
    }
    if (!valid) return reply.status(401).send({ error: 'bad signature' });
    if (m.Type === 'SubscriptionConfirmation') {
      if (!m.SubscribeURL || !isSnsUrl(m.SubscribeURL)) return badRequest(reply, 'SubscribeURL is not an SNS address');
      try {
        await fetchText(m.SubscribeURL);
      } catch (err) {
        ctx.app.logger.warn('could not confirm the SNS subscription', { topic: m.TopicArn, error: messageOf(err) });
        return reply.status(503).send({ error: 'could not confirm the subscription; SNS will resend it' });
      }
      ctx.app.logger.info('SNS subscription confirmed', { topic: m.TopicArn });
      return reply.status(200).send({ confirmed: true });
    }
    if (m.Type !== 'Notification') return reply.status(200).send({ ignored: m.Type });
    return store(ctx, reply, 'ses', sesEvents(m.Message, m.MessageId), watchRates);
  });
}

/** Checks `Authorization: Basic …` against the configured Postmark credentials, in constant time. */
export function postmarkAuthorised(header: string | undefined, expected: { user: string; password: string }): boolean {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m) return false;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  // Both compared, always: no early exit tells which half was wrong.
  const userOk = sameSecret(decoded.slice(0, colon), expected.user);
  const passOk = sameSecret(decoded.slice(colon + 1), expected.password);
  return userOk && passOk;
}
