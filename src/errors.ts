/**
 * One error type for the whole project. Every failure a user can meet carries a stable code,
 * a message that says what went wrong and where, and a hint that says what to do about it.
 */

/** Every error code the project raises, with the process exit status the CLI uses for it. */
export const ERROR_CODES = {
  CONFIG_INVALID: 2,
  USAGE: 2,
  INPUT_INVALID: 1,
  INPUT_UNREADABLE: 1,
  FEED_FETCH_FAILED: 1,
  TOPIC_UNKNOWN: 1,
  SUBSCRIBER_INVALID: 1,
  SUBSCRIBER_NOT_FOUND: 1,
  STORE_FAILED: 1,
  MIGRATION_FAILED: 1,
  SMTP_UNREACHABLE: 3,
  SMTP_TRANSIENT: 3,
  SMTP_PERMANENT: 3,
  SMTP_UNCERTAIN: 3,
  RENDER_FAILED: 1,
  TOKEN_INVALID: 1,
  TOKEN_EXPIRED: 1,
  LOCK_HELD: 4,
  /** 75 is sysexits' EX_TEMPFAIL: a Postfix pipe or procmail keeps the message and retries. */
  FEEDBACK_NOT_STORED: 75,
  INTERNAL: 1,
} as const;

/** A stable, machine-readable error code. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Extra context an {@link AppError} may carry. */
export interface AppErrorOptions {
  /** The underlying error, kept for logs and debugging. */
  cause?: unknown;
  /** What the user should do next, shown under the message. */
  hint?: string;
  /** Individual problems, e.g. one line per bad row of an import. */
  details?: string[];
}

/** The project's error: a code, a user-facing message, an optional hint and the original cause. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: string[];

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.hint = options.hint;
    this.details = options.details ?? [];
  }

  /** The exit status a CLI command should end with for this error. */
  get exitCode(): number {
    return ERROR_CODES[this.code];
  }
}

/** True when `err` is an {@link AppError}, optionally with the given code. */
export function isAppError(err: unknown, code?: ErrorCode): err is AppError {
  return err instanceof AppError && (code === undefined || err.code === code);
}

/** Renders any error as the text a CLI user sees: message, details, then the hint. */
export function formatError(err: unknown): string {
  if (err instanceof AppError) {
    const lines = [`error [${err.code}]: ${err.message}`];
    for (const d of err.details) lines.push(`  - ${d}`);
    if (err.hint) lines.push(`hint: ${err.hint}`);
    if (err.cause instanceof Error && !err.message.includes(err.cause.message)) {
      lines.push(`cause: ${err.cause.message}`);
    }
    return redactUrl(lines.join('\n'));
  }
  if (err instanceof Error) return redactUrl(`error [INTERNAL]: ${err.message}`);
  return redactUrl(`error [INTERNAL]: ${String(err)}`);
}

/**
 * Hides the password of every `scheme://user:password@host` URL in `text`, so a message that
 * quotes DATABASE_URL or SMTP_URL never prints a secret. The password runs to the last `@`
 * before the path, so one that itself holds an unescaped `@` is hidden whole.
 */
export function redactUrl(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):[^\s/]*@/gi, '$1:***@');
}

/** A short message for any thrown value. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
