import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../../config.js';
import type { Topic } from '../../model/topic.js';
import { emailKey } from '../../model/subscriber.js';
import { CONSENT_WORDING } from '../../subscriptions/consent.js';
import type { SignupErrors, SignupValues } from '../../subscriptions/form-checks.js';
import type { SubscriptionService } from '../../subscriptions/service.js';
import { webOrigin } from '../consent-evidence.js';
import { asForm } from '../form.js';
import { choiceOptions } from '../choice-options.js';
import { timezoneOptions, topicOptions } from '../form-options.js';
import { readSignupForm } from '../signup-form.js';
import type { PageKit } from '../web-context.js';

/**
 * `GET /` and `POST /subscribe`: the signup form. The subscription service checks it and runs the
 * double opt-in; the answer to a valid POST is the same page whatever state the address was in,
 * so the form reveals nothing about who subscribes.
 */

/** What the signup pages use: the service, the newest edition (for a sample link) and the digest defaults. */
export interface SignupRouteDeps {
  subscriptions: Pick<SubscriptionService, 'catalogue' | 'signup'>;
  latestEditionKey(): Promise<string | undefined>;
  digest: Pick<Config['digest'], 'timezone' | 'sendTime'>;
}

const TITLE = 'Subscribe to the daily digest';

function formData(deps: SignupRouteDeps, catalogue: Topic[], csrfToken: string, values?: SignupValues, errors: SignupErrors = {}) {
  return {
    csrfToken,
    email: values?.email ?? '',
    name: values?.name ?? '',
    topics: topicOptions(catalogue, values?.topics ?? []),
    timezones: timezoneOptions(values?.timezone || deps.digest.timezone),
    // Only a fresh form asks the browser; a re-shown form keeps what the visitor picked.
    preferBrowserTimezone: values === undefined,
    withTimezoneScript: true,
    sendTime: deps.digest.sendTime,
    ...choiceOptions({ frequency: values?.frequency ?? '', weekday: values?.weekday ?? '', sendTime: values?.sendTime ?? '' }, deps.digest.sendTime, errors),
    // Open the options when the visitor chose something there, so they see what they picked.
    optionsOpen: Boolean(values && (values.frequency || values.sendTime || errors.frequency || errors.weekday || errors.sendTime)),
    emailError: errors.email,
    nameError: errors.name,
    topicsError: errors.topics,
    timezoneError: errors.timezone,
    errors: Object.values(errors),
    indexable: values === undefined,
    consentWording: CONSENT_WORDING.text,
  };
}

/**
 * The blank signup form; `/follow/<topic>` passes its topic to tick and a heading naming it.
 * A fresh form, so the browser's time zone is still asked for.
 */
export async function sendSignupPage(ctx: PageKit, deps: SignupRouteDeps, reply: FastifyReply, catalogue: Topic[], follow?: Topic): Promise<FastifyReply> {
  const data = formData(deps, catalogue, reply.generateCsrf());
  if (follow) data.topics = topicOptions(catalogue, [follow.slug]);
  // A newcomer decides faster with a real edition in front of them.
  const latest = await deps.latestEditionKey();
  const sampleHref = latest ? `/archive/${encodeURIComponent(latest)}` : null;
  return ctx.sendPage(reply, { name: 'signup', title: follow ? `Follow ${follow.name}` : TITLE, data: { ...data, sampleHref } });
}

/** Registers the signup routes. */
export function registerSignupRoutes(server: FastifyInstance, ctx: PageKit, deps: SignupRouteDeps): void {
  server.get('/', async (_request, reply) => sendSignupPage(ctx, deps, reply, await deps.subscriptions.catalogue()));

  server.post('/subscribe', { preHandler: ctx.csrfProtection, config: { rateLimit: ctx.mailRouteRateLimit } }, async (request, reply) => {
    const mayMail = (email: string) => ctx.addressLimiter.tryConsume(emailKey(email));
    const result = await deps.subscriptions.signup(readSignupForm(asForm(request.body)), webOrigin(request, 'web:signup'), mayMail);
    if (!result.ok) {
      const data = formData(deps, await deps.subscriptions.catalogue(), reply.generateCsrf(), result.values, result.errors);
      return ctx.sendPage(reply, { name: 'signup', title: TITLE, status: 400, data });
    }
    if (result.outcome === 'too-many-mails') {
      return ctx.sendPage(reply, { name: 'error', title: 'Too many attempts', status: 429, data: { message: 'We have sent several emails to this address recently. Please wait an hour and try again.' } });
    }
    return ctx.sendPage(reply, { name: 'check-email', title: 'Check your inbox', data: { email: result.email } });
  });
}
