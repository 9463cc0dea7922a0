import type { FastifyInstance, FastifyReply } from 'fastify';
import { isAppError } from '../../errors.js';
import { TEST_FREQUENCIES, TEST_LINK_TOKEN, type TestSendOutcome } from '../../pipeline/test-send.js';
import { asForm, field, fieldList } from '../form.js';
import { topicOptions } from '../form-options.js';
import { AddressRateLimiter } from '../rate-limit.js';
import { sendBadLinkPage, type RouteContext } from '../web-context.js';
import { sendAdminPage } from './admin-page.js';

/** The services this route group uses. */
type Ctx = RouteContext<'logger' | 'sendTestDigest', 'admin' | 'topics'>;

/**
 * `/admin/test-send`: the digest any topic set would get now, sent to any address, marked as a
 * test. The work is {@link sendTestDigest}; this is the form around it. Rate-limited per signed-in
 * admin, because each POST sends a real email.
 */

/** Test sends each admin may make per minute. */
export const TEST_SENDS_PER_MINUTE = 5;

interface FormState {
  to: string;
  topics: string[];
  frequency: string;
  errors?: string[];
  outcome?: TestSendOutcome;
  status?: number;
}

/** Registers the test-send page and its action (inside the signed-in scope). */
export function registerAdminTestSend(scope: FastifyInstance, ctx: Ctx): void {
  const { app } = ctx;
  const limiter = new AddressRateLimiter({ max: TEST_SENDS_PER_MINUTE, windowMs: 60_000 });

  async function page(reply: FastifyReply, admin: string, state: FormState): Promise<FastifyReply> {
    const [catalogue, pause] = await Promise.all([app.store.topics.list(), app.store.admin.pauseState()]);
    return sendAdminPage(ctx, reply, admin, {
      name: 'admin-test-send',
      title: 'Send a test',
      status: state.status ?? 200,
      data: {
        to: state.to,
        topics: topicOptions(catalogue, state.topics),
        frequencies: TEST_FREQUENCIES.map((value) => ({ value, label: value === 'daily' ? 'Daily' : 'Weekly', checked: value === (state.frequency || 'daily') })),
        errors: state.errors ?? [],
        outcome: state.outcome,
        paused: pause.paused,
      },
    });
  }

  scope.get('/admin/test-send', async (request, reply) => page(reply, request.admin, { to: request.admin, topics: [], frequency: 'daily' }));

  scope.post('/admin/test-send', { preHandler: ctx.csrfProtection }, async (request, reply) => {
    const form = asForm(request.body);
    const state: FormState = { to: field(form, 'to').slice(0, 320), topics: fieldList(form, 'topics').slice(0, 500), frequency: field(form, 'frequency') };
    const frequency = TEST_FREQUENCIES.find((f) => f === state.frequency);
    if (!frequency) return page(reply, request.admin, { ...state, status: 400, errors: ['Choose daily or weekly.'] });
    if (!limiter.tryConsume(request.admin)) {
      reply.header('retry-after', '60');
      return page(reply, request.admin, { ...state, status: 429, errors: [`At most ${TEST_SENDS_PER_MINUTE} test sends a minute; wait a minute and try again.`] });
    }
    try {
      const outcome = await app.sendTestDigest({ to: state.to, topics: state.topics, frequency });
      app.logger.info('test digest from the console', { admin: request.admin, to: outcome.to, sent: outcome.sent, ...(outcome.sent ? { messageId: outcome.messageId } : { reason: outcome.reason }) });
      return page(reply, request.admin, { ...state, outcome, status: outcome.sent ? 200 : 422 });
    } catch (err) {
      if (!isAppError(err)) throw err;
      const smtp = err.code.startsWith('SMTP_');
      if (smtp) app.logger.warn('test digest failed at the mail server', { admin: request.admin, error: err.message });
      return page(reply, request.admin, { ...state, status: smtp ? 502 : 400, errors: [smtp ? `The mail server did not take it: ${err.message}` : capitalise(err.message)] });
    }
  });
}

/**
 * The personal links of a test digest, answered with what they are rather than a generic "not
 * valid": whoever opens one (the tester, or a reader it was sent to) learns it changed nothing.
 * Static paths, so they win over the parametric token routes; public, like the links they answer.
 */
export function registerTestLinkPages(server: FastifyInstance, ctx: Ctx): void {
  const message = 'This link is from a test digest sent from the console, so it changes nothing. The links in real digests work.';
  for (const url of [`/unsubscribe/${TEST_LINK_TOKEN}`, `/preferences/${TEST_LINK_TOKEN}`]) {
    server.route({ method: ['GET', 'POST'], url, handler: (_request, reply) => sendBadLinkPage(ctx, reply, message) });
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1) + (s.endsWith('.') ? '' : '.');
}
