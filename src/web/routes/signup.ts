import type { FastifyInstance, FastifyReply } from 'fastify';
import { subscriberEventData } from '../../deliver/webhook-events.js';
import { emailKey, type Subscriber } from '../../model/subscriber.js';
import type { Topic } from '../../model/topic.js';
import { CONSENT_WORDING } from '../../subscriptions/consent.js';
import { recordConsent } from '../consent-evidence.js';
import { asForm } from '../form.js';
import { choiceOptions } from '../choice-options.js';
import { timezoneOptions, topicNames, topicOptions } from '../form-options.js';
import { validateSignup, type SignupErrors, type SignupValues } from '../signup-form.js';
import { sendAlreadySubscribedEmail, sendConfirmEmail, sendFollowConfirmEmail } from '../subscription-mail.js';
import type { WebContext } from '../web-context.js';

/**
 * `GET /` and `POST /subscribe`: the signup form and double opt-in. The answer to a valid POST
 * is the same page whatever state the address was in, so the form reveals nothing about who
 * subscribes.
 */

const TITLE = 'Subscribe to the daily digest';

function formData(ctx: WebContext, catalogue: Topic[], csrfToken: string, values?: SignupValues, errors: SignupErrors = {}) {
  return {
    csrfToken,
    email: values?.email ?? '',
    name: values?.name ?? '',
    topics: topicOptions(catalogue, values?.topics ?? []),
    timezones: timezoneOptions(values?.timezone || ctx.app.config.digest.timezone),
    // Only a fresh form asks the browser; a re-shown form keeps what the visitor picked.
    preferBrowserTimezone: values === undefined,
    withTimezoneScript: true,
    sendTime: ctx.app.config.digest.sendTime,
    ...choiceOptions({ frequency: values?.frequency ?? '', weekday: values?.weekday ?? '', sendTime: values?.sendTime ?? '' }, ctx.app.config.digest.sendTime, errors),
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
export async function sendSignupPage(ctx: WebContext, reply: FastifyReply, catalogue: Topic[], follow?: Topic): Promise<FastifyReply> {
  const data = formData(ctx, catalogue, reply.generateCsrf());
  if (follow) data.topics = topicOptions(catalogue, [follow.slug]);
  // A newcomer decides faster with a real edition in front of them.
  const [latest] = await ctx.app.store.editions.listSent(1);
  const sampleHref = latest ? `/archive/${encodeURIComponent(latest.key)}` : null;
  return ctx.sendPage(reply, { name: 'signup', title: follow ? `Follow ${follow.name}` : TITLE, data: { ...data, sampleHref } });
}

/** What the store step decided for this address. */
type SignupOutcome = { kind: 'already-active'; subscriber: Subscriber } | { kind: 'needs-confirmation'; subscriber: Subscriber; created: boolean };

/** Registers the signup routes. */
export function registerSignupRoutes(server: FastifyInstance, ctx: WebContext): void {
  const { app } = ctx;

  server.get('/', async (_request, reply) => sendSignupPage(ctx, reply, await app.store.topics.list()));

  server.post(
    '/subscribe',
    { preHandler: ctx.csrfProtection, config: { rateLimit: ctx.mailRouteRateLimit } },
    async (request, reply) => {
      const catalogue = await app.store.topics.list();
      const check = validateSignup(asForm(request.body), catalogue);
      if (!check.ok) {
        return ctx.sendPage(reply, { name: 'signup', title: TITLE, status: 400, data: formData(ctx, catalogue, reply.generateCsrf(), check.values, check.errors) });
      }
      const { signup } = check;
      if (!ctx.addressLimiter.tryConsume(emailKey(signup.email))) {
        return ctx.sendPage(reply, { name: 'error', title: 'Too many attempts', status: 429, data: { message: 'We have sent several emails to this address recently. Please wait an hour and try again.' } });
      }
      const now = new Date();
      const outcome = await app.store.transaction<SignupOutcome>(async (tx) => {
        const existing = await tx.subscribers.findByEmail(signup.email);
        // An active reader keeps everything as it is: a stranger must not change their topics.
        if (existing?.status === 'active') return { kind: 'already-active', subscriber: existing };
        // New, still pending, unsubscribed or bounced: (back to) pending, with a fresh double opt-in.
        const { id } = await tx.subscribers.upsert({ ...signup, status: 'pending' }, now.toISOString());
        await tx.subscribers.updateProfile(id, { paused: false }, now.toISOString());
        await recordConsent(tx, request, app, { subscriberId: id, action: 'signup', source: 'web:signup', shownWording: true, details: { topics: signup.topics, timezone: signup.timezone, ...signup.choices } });
        const subscriber = await tx.subscribers.findById(id);
        if (!subscriber) throw new Error(`subscriber ${id} vanished inside its own transaction`);
        return { kind: 'needs-confirmation', subscriber, created: existing === undefined };
      });
      if (outcome.kind === 'needs-confirmation' && outcome.created) await app.events.emit('subscriber.created', subscriberEventData(outcome.subscriber));
      const adding = outcome.kind === 'already-active' ? signup.topics.filter((t) => !outcome.subscriber.topics.includes(t)) : [];
      // An active reader asking for new topics (a Follow button) confirms adding just those.
      if (adding.length > 0) await sendFollowConfirmEmail(app, outcome.subscriber, adding, topicNames(catalogue, adding), now);
      else if (outcome.kind === 'already-active') await sendAlreadySubscribedEmail(app, outcome.subscriber);
      else await sendConfirmEmail(app, outcome.subscriber, topicNames(catalogue, outcome.subscriber.topics), now);
      return ctx.sendPage(reply, { name: 'check-email', title: 'Check your inbox', data: { email: signup.email } });
    },
  );
}
