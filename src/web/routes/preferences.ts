import { subscriberEventData } from '../../deliver/webhook-events.js';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Subscriber } from '../../model/subscriber.js';
import { checkChoices, describeChoices } from '../../subscriptions/choices.js';
import { choiceOptions, shownChoices, type ShownChoices } from '../choice-options.js';
import { asForm, field, fieldList } from '../form.js';
import { timezoneOptions, topicOptions } from '../form-options.js';
import { checkTimezone, checkTopics } from '../signup-form.js';
import { recordConsent } from '../consent-evidence.js';
import { lookupSubscriberToken } from '../subscriber-token.js';
import { pathOf, sendBadLinkPage, type WebContext } from '../web-context.js';

/**
 * `/preferences/:token`: topics, time zone, pause/resume and a way out. GET only shows; POST
 * saves, behind CSRF protection. An empty topic selection is refused rather than treated as an
 * unsubscribe, which should be a deliberate choice.
 */

interface TokenParams {
  token: string;
}

interface Shown {
  topics?: string[];
  timezone?: string;
  choices?: ShownChoices;
  saved?: string;
  errors?: { topics?: string; timezone?: string; frequency?: string; weekday?: string; sendTime?: string };
  status?: number;
}

/** Registers the preferences routes. */
export function registerPreferencesRoutes(server: FastifyInstance, ctx: WebContext): void {
  const { app } = ctx;

  const show = async (reply: FastifyReply, s: Subscriber, token: string, shown: Shown = {}) => {
    const catalogue = await app.store.topics.list();
    const errors = shown.errors ?? {};
    return ctx.sendPage(reply, {
      name: 'preferences',
      title: 'Your digest preferences',
      status: shown.status ?? 200,
      data: {
        csrfToken: reply.generateCsrf(),
        email: s.email,
        path: `/preferences/${encodeURIComponent(token)}`,
        unsubscribePath: pathOf(app.links.forSubscriber(s).unsubscribeUrl),
        topics: topicOptions(catalogue, shown.topics ?? s.topics),
        timezones: timezoneOptions(shown.timezone ?? s.timezone ?? app.config.digest.timezone),
        sendTime: s.sendTime ?? app.config.digest.sendTime,
        ...choiceOptions(shown.choices ?? shownChoices(s), app.config.digest.sendTime, errors),
        schedule: describeChoices(s, app.config.digest.sendTime),
        dataPath: `/preferences/${encodeURIComponent(token)}/data`,
        deletePath: `/preferences/${encodeURIComponent(token)}/delete`,
        paused: s.paused,
        saved: shown.saved,
        topicsError: errors.topics,
        timezoneError: errors.timezone,
        errors: Object.values(errors),
      },
    });
  };

  /** Loads the reader behind the token, or sends the page that explains why not. */
  const load = async (reply: FastifyReply, token: string): Promise<Subscriber | undefined> => {
    const found = await lookupSubscriberToken(app.store, app.secretKey, token, 'preferences');
    if (!found.ok) {
      await sendBadLinkPage(ctx, reply, 'This preferences link is not valid. Use the link in your most recent digest.', found.reason === 'expired' ? 410 : 400);
      return undefined;
    }
    if (found.subscriber.status !== 'active') {
      await ctx.sendPage(reply, { name: 'not-subscribed', title: 'Not subscribed', data: { email: found.subscriber.email } });
      return undefined;
    }
    return found.subscriber;
  };

  server.get<{ Params: TokenParams }>('/preferences/:token', async (request, reply) => {
    const s = await load(reply, request.params.token);
    return s ? show(reply, s, request.params.token) : reply;
  });

  server.post<{ Params: TokenParams }>('/preferences/:token', { preHandler: ctx.csrfProtection }, async (request, reply) => {
    const { token } = request.params;
    const s = await load(reply, token);
    if (!s) return reply;
    const form = asForm(request.body);
    const action = field(form, 'action');
    const now = new Date().toISOString();
    if (action === 'pause' || action === 'resume') {
      await app.store.transaction(async (tx) => {
        await tx.subscribers.updateProfile(s.id, { paused: action === 'pause' }, now);
        await recordConsent(tx, request, app, { subscriberId: s.id, action: 'change', source: 'web:preferences', details: { paused: action === 'pause' } });
      });
      const saved = action === 'pause' ? 'Your digest is paused.' : 'Your digest is back on.';
      await app.events.emit('subscriber.updated', { ...subscriberEventData(s), paused: action === 'pause' });
      return show(reply, { ...s, paused: action === 'pause' }, token, { saved });
    }
    const catalogue = await app.store.topics.list();
    const chosen = fieldList(form, 'topics');
    const topics = checkTopics(catalogue, chosen);
    const tz = checkTimezone(field(form, 'timezone'));
    const raw = { frequency: field(form, 'frequency'), weekday: field(form, 'weekday'), sendTime: field(form, 'send_time') };
    const choices = checkChoices(raw);
    if (!topics.ok || !tz.ok || !choices.ok) {
      const errors = { ...(topics.ok ? {} : { topics: topics.error }), ...(tz.ok ? {} : { timezone: tz.error }), ...(choices.ok ? {} : choices.errors) };
      return show(reply, s, token, { topics: chosen, ...(tz.ok ? { timezone: tz.timezone } : {}), choices: raw, errors, status: 400 });
    }
    await app.store.transaction(async (tx) => {
      await tx.subscribers.setTopics(s.id, topics.topics);
      await tx.subscribers.updateProfile(s.id, { timezone: tz.timezone }, now);
      await tx.subscribers.setChoices(s.id, choices.choices, now);
      await recordConsent(tx, request, app, { subscriberId: s.id, action: 'change', source: 'web:preferences', details: { topics: topics.topics, timezone: tz.timezone, ...choices.choices } });
    });
    await app.events.emit('subscriber.updated', { ...subscriberEventData({ ...s, topics: topics.topics, timezone: tz.timezone }), ...choices.choices });
    return show(reply, { ...s, topics: topics.topics, timezone: tz.timezone, ...choices.choices }, token, { saved: 'Your preferences are saved.' });
  });
}
