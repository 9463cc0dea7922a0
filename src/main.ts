import { randomBytes } from 'node:crypto';
import { openAppStore } from './app-store.js';
import type { Config } from './config.js';
import { createRateGate } from './deliver/rate-gate.js';
import { createMailer } from './deliver/create-mailer.js';
import { createMailQueueSender, type MailQueueSender } from './deliver/mail-queue-sender.js';
import type { Mailer, OutgoingMessage } from './deliver/mailer.js';
import { createEvents, type Events } from './deliver/webhook-events.js';
import { createWebhookSender, type WebhookSender } from './deliver/webhook-sender.js';
import type { FeedbackRules } from './feedback/record-feedback.js';
import { createVerp } from './feedback/verp.js';
import { userAgentFor } from './ingest/fetch-source.js';
import { pollSources, type PollOptions, type PollReport } from './ingest/poll-sources.js';
import { createLogger, type Logger } from './logger.js';
import { createAppMetrics, type AppMetrics } from './metrics/app-metrics.js';
import { runDigest, type DigestRunOptions, type DigestRunSummary } from './pipeline/digest-run.js';
import { digestSettings } from './pipeline/digest-settings.js';
import { sendTestDigest, type TestSendOutcome, type TestSendRequest } from './pipeline/test-send.js';
import type { EditionRenderer } from './render/edition-renderer.js';
import { compilePersonaliser } from './render/personalise.js';
import { createLeanEditionRenderer } from './render/worker-renderer.js';
import { LinkBuilder } from './security/subscriber-links.js';
import type { QueueHealth } from './store/mail-queue-repository.js';
import type { Store } from './store/store.js';
import { applyRetention, type RetentionResult } from './subscriptions/retention.js';
import { createSubscriptionService, type SubscriptionService } from './subscriptions/service.js';

/**
 * The composition root: the one place that builds the store, mailer and services from the
 * config and hands each stage the small interfaces it depends on. Two CLI paths assemble parts
 * of their own: `cli/context.ts` opens the store alone (through app-store.ts) for commands that
 * need nothing else, so they start fast, and `cli/preview.ts` adds a message builder and
 * personaliser to the App for writing files (no sending).
 */
export interface App {
  config: Config;
  logger: Logger;
  store: Store;
  /** The key tokens are signed with: SECRET_KEY, or one generated on first start and kept in the store. */
  secretKey: string;
  /** The one mail transport of this process (pooled SMTP, or the .eml outbox). */
  mailer: Mailer;
  /** Builds signed personal links under PUBLIC_URL. */
  links: LinkBuilder;
  /** Renders an edition once; the digest run and `preview` share it. */
  renderer: EditionRenderer;
  /** How bounce and complaint reports are matched and acted on (VERP, BOUNCE_LIMIT, SOFT_BOUNCE_LIMIT). */
  feedbackRules: FeedbackRules;
  /** Transactional mail: pages enqueue and return at once; this process's sender drains the queue. */
  mailQueue: {
    /** Stores one email for the sender and nudges it; never waits on SMTP. */
    enqueue(kind: string, message: Pick<OutgoingMessage, 'to' | 'subject' | 'html' | 'text' | 'list'>): Promise<void>;
    /** Backlog for /healthz. */
    health(): Promise<QueueHealth>;
    sender: MailQueueSender;
  };
  /** The one home of the rules for a reader: signup, confirm, changes, unsubscribe, import, erase. */
  subscriptions: SubscriptionService;
  /** Outbound webhook events; `webhookSender` drains their queue in start, serve and worker. */
  events: Events;
  webhookSender: WebhookSender;
  /** Prometheus metrics of this process (its own registry). */
  metrics: AppMetrics;
  /** Runs one pass of the digest pipeline: plan, render, record, send. */
  runDigest(options: DigestRunOptions): Promise<DigestRunSummary>;
  /** Sends the digest a topic set would get now to any address, marked as a test and recorded nowhere. */
  sendTestDigest(request: TestSendRequest): Promise<TestSendOutcome>;
  /** Polls the due sources (or all) once, with this site's User-Agent and PUBLIC_URL. */
  pollSources(options?: PollOptions): Promise<PollReport[]>;
  /** Applies the retention rules (old ledger rows to per-day counts, stale pending signups deleted). */
  housekeeping(now?: Date): Promise<RetentionResult>;
  /** Releases every resource the app holds. */
  close(): Promise<void>;
}

/** Options for {@link createApp}, mostly for tests. */
export interface CreateAppOptions {
  logger?: Logger;
  /** Replaces the configured transport, e.g. with a capturing one in tests. */
  mailer?: Mailer;
  /** Backoff base for transient SMTP failures (tests shorten it). */
  retryBaseMs?: number;
  /** Fetch limits for polled sources (tests shorten the timeout). */
  fetchLimits?: Pick<PollOptions, 'timeoutMs' | 'maxBytes'>;
  /** Loads the default topic catalogue into an empty store (true for the CLI). */
  seedTopics?: boolean;
  /** A store already opened with {@link openAppStore}; the app takes it over and closes it. */
  store?: Store;
}

/** Builds the app from a parsed config. */
export async function createApp(config: Config, options: CreateAppOptions = {}): Promise<App> {
  const logger = options.logger ?? createLogger(config.logLevel, { format: config.logFormat });
  const store = options.store ?? (await openAppStore(config, logger, options.seedTopics !== false));
  try {
    return await assembleApp(config, options, logger, store);
  } catch (err) {
    // A half-built app must not keep the store open: the process would neither exit nor say why.
    await store.close().catch(() => undefined);
    throw err;
  }
}

async function assembleApp(config: Config, options: CreateAppOptions, logger: Logger, store: Store): Promise<App> {
  const secretKey = config.secretKey ?? (await store.settings.getOrInit('secret_key', () => randomBytes(32).toString('hex')));
  const mailer = options.mailer ?? (await createMailer(config));
  const links = new LinkBuilder(config.web.publicUrl, secretKey);
  const verp = config.feedback.bounceAddress ? createVerp(config.feedback.bounceAddress, secretKey) : undefined;
  const renderer = createLeanEditionRenderer({
    senderName: config.mail.senderName,
    senderAddress: config.mail.senderAddress,
    publicUrl: config.web.publicUrl,
    brand: { color: config.brand.color, logoUrl: config.brand.logoUrl ?? null, privacyUrl: config.brand.privacyUrl ?? null, repliesWelcome: config.mail.replyTo !== undefined },
  });
  const metrics = createAppMetrics(store);
  const webhookSender = createWebhookSender({ webhooks: store.webhooks, logger }, options.retryBaseMs !== undefined ? { retryBaseMs: options.retryBaseMs } : {});
  const events = createEvents({ webhooks: store.webhooks, kick: () => webhookSender.kick(), logger });
  const digestDeps = {
    store,
    mailer,
    links,
    renderer,
    compilePersonaliser,
    logger,
    settings: digestSettings(config, options.retryBaseMs !== undefined ? { retryBaseMs: options.retryBaseMs } : {}),
    waitForSendSlot: createRateGate(store.rateLimits, config.smtp.ratePerSecond),
    ...(verp ? { envelopeFrom: verp.address } : {}),
    onSmtpLatency: (seconds: number) => metrics.observeSmtpLatency(seconds),
  };
  const sender = createMailQueueSender(
    { queue: store.mailQueue, liveness: store.leases, mailer, logger },
    { fromAddress: config.mail.from, leaseSeconds: config.claimLeaseSeconds, ...(options.retryBaseMs !== undefined ? { retryBaseMs: options.retryBaseMs } : {}) },
  );
  const enqueue: App['mailQueue']['enqueue'] = async (kind, message) => {
    await store.mailQueue.enqueue({ kind, ...message }, new Date());
    sender.kick();
  };
  return {
    config,
    logger,
    store,
    secretKey,
    mailer,
    links,
    renderer,
    feedbackRules: {
      bounceLimit: config.bounceLimit,
      softBounceLimit: config.feedback.softBounceLimit,
      verp,
      onRecorded: async (out) => {
        const data = { email: out.email ?? null, kind: out.kind, summary: out.summary, action: out.action, deliveryId: out.deliveryId ?? null };
        if (out.kind === 'complaint') await events.emit('subscriber.complained', data);
        else if (out.action === 'bounced') await events.emit('subscriber.bounced', data);
      },
    },
    mailQueue: {
      enqueue,
      health: () => store.mailQueue.health(new Date()),
      sender,
    },
    subscriptions: createSubscriptionService({ store, config, links, secretKey, logger, events, enqueue }),
    events,
    webhookSender,
    metrics,
    runDigest: async (runOptions) => {
      const summary = await runDigest(digestDeps, runOptions);
      metrics.observeSendRun(summary.durationMs / 1000);
      // Ticks that found nothing to do (every minute, all day) are not events.
      if (!summary.dryRun && summary.planned + summary.sent + summary.failed + summary.deferred + summary.uncertain > 0) await events.emit('digest.run.completed', runCompletedData(summary));
      return summary;
    },
    sendTestDigest: (request) => sendTestDigest({ ...digestDeps, publicUrl: config.web.publicUrl }, request),
    pollSources: async (pollOptions = {}) => {
      const reports = await pollSources(store, { publicUrl: config.web.publicUrl, userAgent: userAgentFor(config.web.publicUrl), ...options.fetchLimits, ...pollOptions });
      for (const r of reports.filter((r) => r.error !== null)) await events.emit('source.failed', { id: r.id, url: r.url, status: r.status, error: r.error });
      return reports;
    },
    housekeeping: async (now = new Date()) => {
      const result = await applyRetention(store, config.retention, now);
      if (result.prunedDeliveries + result.deletedPending + result.prunedWebhookDeliveries > 0) logger.info('retention applied', { ...result });
      return result;
    },
    close: async () => {
      await sender.stop();
      await webhookSender.stop();
      await mailer.close();
      await renderer.close();
      await store.close();
    },
  };
}

/** The run summary as webhook data: the counts, without the long per-reader lists. */
function runCompletedData(summary: DigestRunSummary): Record<string, unknown> {
  const { wouldSend: _w, uncertainDeliveries: _u, ...counts } = summary;
  return counts;
}
