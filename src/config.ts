import cron from 'node-cron';
import { z } from 'zod';
import { AppError, redactUrl } from './errors.js';
import { checkEmailAddress, mailboxProblem } from './subscribers/email-address.js';
import { canonicalTimeZone } from './subscribers/timezone.js';
import { MIN_POLL_SECONDS, parseInterval } from './interval.js';

/**
 * The whole configuration, parsed once from the environment at start-up. Services receive the
 * parts they need as parameters; nothing else reads `process.env`.
 */

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** A sender-side mailbox (From, Reply-To): display name allowed, CR/LF never. */
function mailbox(value: string | undefined, ctx: z.RefinementCtx): void {
  const problem = value === undefined ? undefined : mailboxProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
}

/** Re-exported: the config schema and its callers read intervals the same way. */
export { MIN_POLL_SECONDS, parseInterval };

const schema = z
  .object({
    DATABASE_URL: z
      .string()
      .default('sqlite:data/topic-digest.db')
      .refine((v) => /^sqlite:.+/.test(v) || /^postgres(ql)?:\/\//.test(v), {
        message: 'must be sqlite:<path> or postgres://user:pass@host/db',
      }),
    SMTP_URL: optionalString.refine((v) => v === undefined || /^smtps?:\/\//.test(v), {
      message: 'must start with smtp:// or smtps://',
    }),
    SMTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(100).default(5),
    SMTP_RATE_PER_SECOND: z.coerce.number().min(0).default(0),
    SMTP_TIMEOUT_SECONDS: z.coerce.number().positive().max(3600).default(60),
    OUTBOX_DIR: z.string().default('outbox'),
    MAIL_FROM: z.string().default('Topic Digest <digest@localhost>').superRefine(mailbox),
    MAIL_REPLY_TO: optionalString.superRefine(mailbox),
    UNSUBSCRIBE_MAILBOX: optionalString.refine((v) => v === undefined || checkEmailAddress(v).ok, { message: 'must be a bare address like unsubscribe@example.com' }),
    // Unset means "derived from PORT and HOST", so changing the port never leaves links on the old one.
    PUBLIC_URL: optionalString
      .refine((v) => v === undefined || (URL.canParse(v) && /^https?:/.test(v)), { message: 'must be an http(s) URL' })
      .transform((v) => v?.replace(/\/+$/, '')),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().default('0.0.0.0'),
    TRUST_PROXY: bool.default(false),
    WEB_REQUEST_TIMEOUT_SECONDS: z.coerce.number().min(1).max(3600).default(30),
    WEB_IDLE_TIMEOUT_SECONDS: z.coerce.number().min(1).max(3600).default(60),
    SECRET_KEY: optionalString.refine((v) => v === undefined || v.length >= 32, {
      message: 'must be at least 32 characters (try: openssl rand -hex 32)',
    }),
    SENDER_NAME: z.string().default('Topic Digest'),
    SENDER_ADDRESS: z.string().default('1 News Street, Example City'),
    LIST_ID: optionalString,
    BRAND_COLOR: z.string().default('#b3261e').refine((v) => /^#[0-9a-fA-F]{6}$/.test(v), { message: 'must be a #rrggbb colour, dark enough to read on white' }),
    BRAND_LOGO_URL: optionalString.refine((v) => v === undefined || /^https?:\/\//.test(v), { message: 'must be an http(s) URL of a wordmark image' }),
    PRIVACY_URL: optionalString.refine((v) => v === undefined || /^https?:\/\//.test(v), { message: 'must be an http(s) URL' }),
    DIGEST_SEND_TIME: z
      .string()
      .default('07:00')
      .refine((v) => /^([01]\d|2[0-3]):[0-5]\d$/.test(v), { message: 'must be HH:MM (24-hour)' }),
    DIGEST_TIMEZONE: z.string().default('UTC').refine((tz) => canonicalTimeZone(tz) !== undefined, { message: 'is not an IANA timezone' }),
    DIGEST_LOOKBACK_HOURS: z.coerce.number().int().min(1).max(24 * 31).default(24),
    DIGEST_MAX_PER_TOPIC: z.coerce.number().int().min(1).max(50).default(5),
    DIGEST_MAX_PER_TOPIC_WEEKLY: z.coerce.number().int().min(1).max(50).default(7),
    DIGEST_MIN_STORIES: z.coerce.number().int().min(1).max(100).default(1),
    CONSENT_FULL_IP: bool.default(false),
    RETENTION_DAYS_DELIVERIES: z.coerce.number().int().min(30).default(400),
    DIGEST_CRON: z.string().default('*/5 * * * *').refine((v) => cron.validate(v), { message: 'is not a valid cron expression' }),
    DIGEST_CATCHUP_HOURS: z.coerce.number().min(0).max(24).default(6),
    BOUNCE_LIMIT: z.coerce.number().int().min(1).default(1),
    BOUNCE_ADDRESS: optionalString.refine((v) => v === undefined || /^[^\s@<>+]+@[^\s@<>]+\.[^\s@<>]+$/.test(v), { message: 'must be a bare address without "+", like bounces@news.example.com' }),
    SOFT_BOUNCE_LIMIT: z.coerce.number().int().min(1).default(5),
    BOUNCE_IMAP_URL: optionalString.refine((v) => v === undefined || (/^imaps?:\/\//.test(v) && URL.canParse(v)), { message: 'must be imap:// or imaps://user:password@host[:port]/MAILBOX' }),
    BOUNCE_IMAP_DONE: z.string().default('Processed'),
    BOUNCE_IMAP_POLL_SECONDS: z.coerce.number().int().min(10).default(60),
    SES_TOPIC_ARNS: optionalString,
    POSTMARK_WEBHOOK_USER: optionalString,
    POSTMARK_WEBHOOK_PASSWORD: optionalString,
    MAILGUN_WEBHOOK_SIGNING_KEY: optionalString,
    SENDGRID_WEBHOOK_PUBLIC_KEY: optionalString,
    DKIM_DOMAIN: optionalString,
    DKIM_SELECTOR: optionalString,
    DKIM_PRIVATE_KEY: optionalString,
    DKIM_PRIVATE_KEY_FILE: optionalString,
    DKIM_ED25519_KEY_FILE: optionalString,
    DKIM_ED25519_SELECTOR: optionalString,
    CONFIRM_TTL_HOURS: z.coerce.number().min(1).default(48),
    SIGNUP_RATE_PER_IP: z.coerce.number().int().min(1).default(10),
    SIGNUP_RATE_PER_ADDRESS: z.coerce.number().int().min(1).default(3),
    // Who may sign in to the console: comma-separated bare addresses, compared lower-cased.
    ADMIN_EMAILS: z
      .string()
      .default('')
      .transform((v) => v.split(',').map((a) => a.trim().toLowerCase()).filter((a) => a !== ''))
      .refine((list) => list.every((a) => checkEmailAddress(a).ok), { message: 'must be comma-separated addresses like editor@example.com' }),
    SEED_SAMPLE_DATA: bool.default(true),
    CLAIM_LEASE_SECONDS: z.coerce.number().int().min(1).default(120),
    SOURCES_POLL_CRON: z.string().default('* * * * *').refine((v) => cron.validate(v), { message: 'is not a valid cron expression' }),
    SOURCE_POLL_EVERY: z
      .string()
      .default('15m')
      .refine((v) => (parseInterval(v) ?? 0) >= MIN_POLL_SECONDS, { message: `must be an interval like 30s, 15m, 1h or 1h30m, at least ${MIN_POLL_SECONDS}s` }),
    API_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(5 * 1024 * 1024),
    API_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(120),
    METRICS_TOKEN: optionalString.refine((v) => v === undefined || v.length >= 16, { message: 'must be at least 16 characters (e.g. openssl rand -hex 32)' }),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
    LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  })
  .superRefine((env, ctx) => {
    const dkim = [env.DKIM_DOMAIN, env.DKIM_SELECTOR, env.DKIM_PRIVATE_KEY ?? env.DKIM_PRIVATE_KEY_FILE];
    if (dkim.some(Boolean) && !dkim.every(Boolean)) {
      ctx.addIssue({
        code: 'custom',
        path: ['DKIM_DOMAIN'],
        message: 'DKIM needs DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY (or DKIM_PRIVATE_KEY_FILE) together',
      });
    }
    if (env.DKIM_ED25519_KEY_FILE && !(dkim.every(Boolean) && env.DKIM_ED25519_SELECTOR)) {
      ctx.addIssue({
        code: 'custom',
        path: ['DKIM_ED25519_KEY_FILE'],
        message: 'an Ed25519 DKIM key signs next to the RSA one: it needs the RSA settings and its own DKIM_ED25519_SELECTOR',
      });
    }
  });

type Env = z.infer<typeof schema>;

/** Where the store lives. */
export type DatabaseConfig = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

/** DKIM signing material, present only when all three settings are given. */
export interface DkimConfig {
  domain: string;
  selector: string;
  privateKey?: string;
  privateKeyFile?: string;
  /** A second, Ed25519 key (RFC 8463) under its own selector; messages then carry both signatures. */
  ed25519?: { selector: string; keyFile: string };
}

/** Where bounce and complaint reports come from, and what they lead to. */
export interface FeedbackConfig {
  /** VERP base address; digests go out with `bounces+<token>@…` as envelope sender when set. */
  bounceAddress?: string;
  softBounceLimit: number;
  imap?: { url: string; doneFolder: string; pollSeconds: number };
  webhooks: {
    /** SNS topic ARNs whose notifications /webhooks/ses accepts; empty means the route is off. */
    sesTopicArns: string[];
    postmark?: { user: string; password: string };
    mailgunSigningKey?: string;
    /** SendGrid's signed-event-webhook public key (base64 DER or PEM). */
    sendgridPublicKey?: string;
  };
}

/** The parsed, frozen configuration. */
export interface Config {
  database: DatabaseConfig;
  smtp: { url?: string; maxConnections: number; ratePerSecond: number; outboxDir: string; timeoutSeconds: number };
  /** `unsubscribeMailbox`: the mailto: target in List-Unsubscribe; someone (or something) must act on what arrives there. */
  mail: { from: string; replyTo?: string; unsubscribeMailbox?: string; senderName: string; senderAddress: string; listId?: string };
  /** How the emails look: BRAND_COLOR (text wordmark), BRAND_LOGO_URL (image wordmark), PRIVACY_URL (footer link). */
  brand: { color: string; logoUrl?: string; privacyUrl?: string };
  dkim?: DkimConfig;
  /**
   * `trustProxy`: believe X-Forwarded-For (behind a reverse proxy), so rate limits see the real client.
   * `publicUrlDerived`: PUBLIC_URL was unset and `publicUrl` was built from PORT and HOST.
   */
  web: {
    publicUrl: string;
    publicUrlDerived: boolean;
    port: number;
    host: string;
    trustProxy: boolean;
    /** A request (headers and body) must arrive whole within this, however slowly it trickles. */
    requestTimeoutSeconds: number;
    /** A connection with no bytes either way for this long is closed. */
    idleTimeoutSeconds: number;
  };
  /** Undefined means "generate one and keep it in the store". */
  secretKey?: string;
  digest: {
    sendTime: string;
    timezone: string;
    lookbackHours: number;
    maxPerTopic: number;
    cron: string;
    catchupHours: number;
    /** Cap per topic in a weekly edition. */
    maxPerTopicWeekly: number;
    /** Fewer stories than this and the edition is skipped; they carry over to the next. */
    minStories: number;
  };
  /** `fullIp`: keep whole IP addresses in consent records instead of the /24 or /48 network. */
  consent: { fullIp: boolean };
  /** `deliveryDays`: ledger rows older than this are pruned to per-day counts. */
  retention: { deliveryDays: number };
  bounceLimit: number;
  /** Bounces and complaints: VERP, the IMAP poller and provider webhooks (each off until configured). */
  feedback: FeedbackConfig;
  confirmTtlHours: number;
  signupRate: { perIp: number; perAddress: number };
  /** The console: who may sign in (lower-cased addresses). */
  admin: { emails: string[] };
  seedSampleData: boolean;
  claimLeaseSeconds: number;
  /** Polled sources: how often due sources are checked (cron), and a new source's default interval. */
  sources: { pollCron: string; defaultEverySeconds: number };
  /** The push API: largest request body, and requests per minute per token. */
  api: { maxBodyBytes: number; ratePerMinute: number };
  /** The bearer token GET /metrics requires; absent turns /metrics off (404). */
  metricsToken?: string;
  logLevel: Env['LOG_LEVEL'];
  /** `auto`: readable lines when stderr is a terminal, JSON lines otherwise. */
  logFormat: Env['LOG_FORMAT'];
}

function toConfig(env: Env): Config {
  const database: DatabaseConfig = env.DATABASE_URL.startsWith('sqlite:')
    ? { kind: 'sqlite', path: env.DATABASE_URL.slice('sqlite:'.length) }
    : { kind: 'postgres', url: env.DATABASE_URL };
  const dkim =
    env.DKIM_DOMAIN && env.DKIM_SELECTOR
      ? {
          domain: env.DKIM_DOMAIN,
          selector: env.DKIM_SELECTOR,
          ...(env.DKIM_PRIVATE_KEY ? { privateKey: env.DKIM_PRIVATE_KEY.replace(/\\n/g, '\n') } : {}),
          ...(env.DKIM_PRIVATE_KEY_FILE ? { privateKeyFile: env.DKIM_PRIVATE_KEY_FILE } : {}),
          ...(env.DKIM_ED25519_KEY_FILE && env.DKIM_ED25519_SELECTOR ? { ed25519: { selector: env.DKIM_ED25519_SELECTOR, keyFile: env.DKIM_ED25519_KEY_FILE } } : {}),
        }
      : undefined;
  return deepFreeze({
    database,
    smtp: {
      ...(env.SMTP_URL ? { url: env.SMTP_URL } : {}),
      maxConnections: env.SMTP_MAX_CONNECTIONS,
      ratePerSecond: env.SMTP_RATE_PER_SECOND,
      timeoutSeconds: env.SMTP_TIMEOUT_SECONDS,
      outboxDir: env.OUTBOX_DIR,
    },
    mail: {
      from: env.MAIL_FROM,
      ...(env.MAIL_REPLY_TO ? { replyTo: env.MAIL_REPLY_TO } : {}),
      ...(env.UNSUBSCRIBE_MAILBOX ? { unsubscribeMailbox: env.UNSUBSCRIBE_MAILBOX } : {}),
      senderName: env.SENDER_NAME,
      senderAddress: env.SENDER_ADDRESS,
      ...(env.LIST_ID ? { listId: env.LIST_ID } : {}),
    },
    brand: { color: env.BRAND_COLOR, ...(env.BRAND_LOGO_URL ? { logoUrl: env.BRAND_LOGO_URL } : {}), ...(env.PRIVACY_URL ? { privacyUrl: env.PRIVACY_URL } : {}) },
    ...(dkim ? { dkim } : {}),
    web: {
      publicUrl: env.PUBLIC_URL ?? derivedPublicUrl(env.HOST, env.PORT),
      publicUrlDerived: env.PUBLIC_URL === undefined,
      port: env.PORT,
      host: env.HOST,
      trustProxy: env.TRUST_PROXY,
      requestTimeoutSeconds: env.WEB_REQUEST_TIMEOUT_SECONDS,
      idleTimeoutSeconds: env.WEB_IDLE_TIMEOUT_SECONDS,
    },
    ...(env.SECRET_KEY ? { secretKey: env.SECRET_KEY } : {}),
    digest: {
      sendTime: env.DIGEST_SEND_TIME,
      timezone: env.DIGEST_TIMEZONE,
      lookbackHours: env.DIGEST_LOOKBACK_HOURS,
      maxPerTopic: env.DIGEST_MAX_PER_TOPIC,
      cron: env.DIGEST_CRON,
      catchupHours: env.DIGEST_CATCHUP_HOURS,
      maxPerTopicWeekly: env.DIGEST_MAX_PER_TOPIC_WEEKLY,
      minStories: env.DIGEST_MIN_STORIES,
    },
    consent: { fullIp: env.CONSENT_FULL_IP },
    retention: { deliveryDays: env.RETENTION_DAYS_DELIVERIES },
    bounceLimit: env.BOUNCE_LIMIT,
    feedback: feedbackConfig(env),
    confirmTtlHours: env.CONFIRM_TTL_HOURS,
    signupRate: { perIp: env.SIGNUP_RATE_PER_IP, perAddress: env.SIGNUP_RATE_PER_ADDRESS },
    admin: { emails: env.ADMIN_EMAILS },
    seedSampleData: env.SEED_SAMPLE_DATA,
    claimLeaseSeconds: env.CLAIM_LEASE_SECONDS,
    sources: { pollCron: env.SOURCES_POLL_CRON, defaultEverySeconds: parseInterval(env.SOURCE_POLL_EVERY)! },
    api: { maxBodyBytes: env.API_MAX_BODY_BYTES, ratePerMinute: env.API_RATE_PER_MINUTE },
    ...(env.METRICS_TOKEN ? { metricsToken: env.METRICS_TOKEN } : {}),
    logLevel: env.LOG_LEVEL,
    logFormat: env.LOG_FORMAT,
  });
}

/** `http://localhost:<PORT>` for wildcard and loopback hosts, else `http://<HOST>:<PORT>`. */
export function derivedPublicUrl(host: string, port: number): string {
  const local = ['0.0.0.0', '::', '127.0.0.1', '::1', 'localhost', ''].includes(host);
  const name = local ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${name}:${port}`;
}

function feedbackConfig(env: Env): FeedbackConfig {
  return {
    ...(env.BOUNCE_ADDRESS ? { bounceAddress: env.BOUNCE_ADDRESS } : {}),
    softBounceLimit: env.SOFT_BOUNCE_LIMIT,
    ...(env.BOUNCE_IMAP_URL ? { imap: { url: env.BOUNCE_IMAP_URL, doneFolder: env.BOUNCE_IMAP_DONE, pollSeconds: env.BOUNCE_IMAP_POLL_SECONDS } } : {}),
    webhooks: {
      sesTopicArns: (env.SES_TOPIC_ARNS ?? '').split(/[\s,]+/).filter(Boolean),
      ...(env.POSTMARK_WEBHOOK_USER && env.POSTMARK_WEBHOOK_PASSWORD ? { postmark: { user: env.POSTMARK_WEBHOOK_USER, password: env.POSTMARK_WEBHOOK_PASSWORD } } : {}),
      ...(env.MAILGUN_WEBHOOK_SIGNING_KEY ? { mailgunSigningKey: env.MAILGUN_WEBHOOK_SIGNING_KEY } : {}),
      ...(env.SENDGRID_WEBHOOK_PUBLIC_KEY ? { sendgridPublicKey: env.SENDGRID_WEBHOOK_PUBLIC_KEY.replace(/\\n/g, '\n') } : {}),
    },
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * Parses the environment into a {@link Config}. Reports every bad variable at once in a single
 * CONFIG_INVALID error, so an operator fixes their `.env` in one pass.
 */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = schema.safeParse(env);
  if (!result.success) {
    const details = result.error.issues.map((issue) => {
      const name = issue.path.join('.') || '(environment)';
      const value = typeof issue.path[0] === 'string' ? env[issue.path[0]] : undefined;
      const shown = value === undefined ? '' : ` (got ${JSON.stringify(redact(String(issue.path[0]), value))})`;
      return `${name} ${issue.message}${shown}`;
    });
    const names = [...new Set(result.error.issues.map((i) => String(i.path[0] ?? 'environment')))];
    throw new AppError('CONFIG_INVALID', `invalid configuration (${details.length} problem(s)): ${names.join(', ')}`, {
      details,
      hint: 'fix these variables in .env or the environment; .env.example documents each one',
    });
  }
  return toConfig(result.data);
}

function redact(name: string, value: string): string {
  return /KEY|SECRET|PASSWORD/.test(name) ? '***' : redactUrl(value);
}
