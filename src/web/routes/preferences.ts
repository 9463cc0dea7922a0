import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../../config.js';
import type { Subscriber } from '../../model/subscriber.js';
import { describeChoices } from '../../subscriptions/choices.js';
import type { PreferenceErrors } from '../../subscriptions/form-checks.js';
import type { SubscriptionService } from '../../subscriptions/service.js';
import { choiceOptions, shownChoices, type ShownChoices } from '../choice-options.js';
import { webOrigin } from '../consent-evidence.js';
import { asForm, field, fieldList } from '../form.js';
import { timezoneOptions, topicOptions } from '../form-options.js';
import { pathOf, sendBadLinkPage, type PageKit } from '../web-context.js';

/**
 * `/preferences/:token`: topics, time zone, pause/resume and a way out. GET only shows; POST
 * hands the change to the subscription service, behind CSRF protection.
 */

/** What the preferences page uses. */
export interface PreferencesRouteDeps {
  subscriptions: Pick<SubscriptionService, 'catalogue' | 'readLink' | 'linksFor' | 'changePreferences' | 'setPaused'>;
  digest: Pick<Config['digest'], 'timezone' | 'sendTime'>;
}

interface TokenParams {
  token: string;
}

interface Shown {
  topics?: string[];
  timezone?: string;
  choices?: ShownChoices;
  saved?: string;
  errors?: PreferenceErrors;
  status?: number;
}

/** Registers the preferences routes. */
export function registerPreferencesRoutes(server: FastifyInstance, ctx: PageKit, deps: PreferencesRouteDeps): void {
  const { subscriptions, digest } = deps;

  const show = async (reply: FastifyReply, s: Subscriber, token: string, shown: Shown = {}) => {
    const errors = shown.errors ?? {};
    const base = `/preferences/${encodeURIComponent(token)}`;
    return ctx.sendPage(reply, {
      name: 'preferences',
      title: 'Your digest preferences',
      status: shown.status ?? 200,
      data: {
        csrfToken: reply.generateCsrf(),
        email: s.email,
        path: base,
        unsubscribePath: pathOf(subscriptions.linksFor(s).unsubscribeUrl),
        topics: topicOptions(await subscriptions.catalogue(), shown.topics ?? s.topics),
        timezones: timezoneOptions(shown.timezone ?? s.timezone ?? digest.timezone),
        sendTime: s.sendTime ?? digest.sendTime,
        ...choiceOptions(shown.choices ?? shownChoices(s), digest.sendTime, errors),
        schedule: describeChoices(s, digest.sendTime),
        dataPath: `${base}/data`,
        deletePath: `${base}/delete`,
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
    const found = await subscriptions.readLink(token, 'preferences');
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
    const origin = webOrigin(request, 'web:preferences');
    if (action === 'pause' || action === 'resume') {
      const after = await subscriptions.setPaused(s, action === 'pause', origin);
      return show(reply, after, token, { saved: after.paused ? 'Your digest is paused.' : 'Your digest is back on.' });
    }
    const values = { topics: fieldList(form, 'topics'), timezone: field(form, 'timezone'), frequency: field(form, 'frequency'), weekday: field(form, 'weekday'), sendTime: field(form, 'send_time') };
    const result = await subscriptions.changePreferences(s, values, origin);
    if (!result.ok) {
      const choices = { frequency: values.frequency, weekday: values.weekday, sendTime: values.sendTime };
      return show(reply, s, token, { topics: values.topics, ...(result.timezone ? { timezone: result.timezone } : {}), choices, errors: result.errors, status: 400 });
    }
    return show(reply, result.subscriber, token, { saved: 'Your preferences are saved.' });
  });
}
