import { randomBytes } from 'node:crypto';
import type { Config } from './config.js';
import { createRateGate } from './deliver/rate-gate.js';
import { createMailer } from './deliver/create-mailer.js';
import type { Mailer } from './deliver/mailer.js';
import type { FeedbackRules } from './feedback/record-feedback.js';
import { createVerp } from './feedback/verp.js';
import { createLogger, type Logger } from './logger.js';
import { runDigest, type DigestRunOptions, type DigestRunSummary } from './pipeline/digest-run.js';
import { digestSettings } from './pipeline/digest-settings.js';
import { createEditionRenderer, type EditionRenderer } from './render/edition-renderer.js';
import { compilePersonaliser } from './render/personalise.js';
import { LinkBuilder } from './security/subscriber-links.js';
import { openStore, type Store } from './store/store.js';
import { DEFAULT_TOPICS } from './topics/default-catalogue.js';

/**
 * The composition root: the one place that builds the store, mailer and services from the
 * config and hands each stage the small interfaces it depends on. Nothing else wires.
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
  /** Runs one pass of the digest pipeline: plan, render, record, send. */
  runDigest(options: DigestRunOptions): Promise<DigestRunSummary>;
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
  /** Loads the default topic catalogue into an empty store (true for the CLI). */
  seedTopics?: boolean;
}

/** Builds the app from a parsed config. */
export async function createApp(config: Config, options: CreateAppOptions = {}): Promise<App> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const store = await openStore(config.database);
  const secretKey = config.secretKey ?? (await store.settings.getOrInit('secret_key', () => randomBytes(32).toString('hex')));
  if (options.seedTopics !== false && (await store.topics.count()) === 0) {
    await store.transaction((tx) => tx.topics.upsert([...DEFAULT_TOPICS], new Date().toISOString()));
    logger.info('loaded the default topic catalogue', { topics: DEFAULT_TOPICS.length });
  }
  const mailer = options.mailer ?? (await createMailer(config));
  const links = new LinkBuilder(config.web.publicUrl, secretKey);
  const verp = config.feedback.bounceAddress ? createVerp(config.feedback.bounceAddress, secretKey) : undefined;
  const renderer = createEditionRenderer({ senderName: config.mail.senderName, senderAddress: config.mail.senderAddress, publicUrl: config.web.publicUrl });
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
  };
  return {
    config,
    logger,
    store,
    secretKey,
    mailer,
    links,
    renderer,
    feedbackRules: { bounceLimit: config.bounceLimit, softBounceLimit: config.feedback.softBounceLimit, verp },
    runDigest: (runOptions) => runDigest(digestDeps, runOptions),
    close: async () => {
      await mailer.close();
      await store.close();
    },
  };
}
