import { createRequire } from 'node:module';
import pino, { type Logger as PinoLogger } from 'pino';

/**
 * Logging through pino. Lines go to stderr so that `--json` output on stdout stays parseable:
 * one JSON object per line where a machine reads them, readable lines on a terminal. Services see
 * only the small {@link Logger} interface below.
 */

/** The levels a logger filters on, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** `json`: one JSON object per line; `pretty`: a readable line; `auto`: pretty on a terminal. */
export type LogFormat = 'json' | 'pretty' | 'auto';

/** What every service receives for logging. */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  format?: LogFormat;
  /** Receives each finished line without its newline; the default writes to stderr. */
  write?: (line: string) => void;
  /** Whether the output is a terminal (decides `auto`, and colours); default: stderr's. */
  isTty?: boolean;
}

const pinoOfLogger = new WeakMap<Logger, PinoLogger>();

/** Keys pino writes itself: a field with one of these names would shadow it (a forged `level`). */
const RESERVED = new Set(['level', 'time', 'pid', 'hostname', 'msg']);

/** Errors keep their type, message, stack, code and cause chain; pino's default drops the cause. */
function loggable(fields: Record<string, unknown>, pretty: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    // pino-pretty prints some top-level strings (`name`) raw, so they get the message's treatment.
    const shown = value instanceof Error ? pino.stdSerializers.errWithCause(value) : pretty && typeof value === 'string' ? oneLine(value) : value;
    out[RESERVED.has(key) ? `${key}_` : key] = shown;
  }
  return out;
}

/** On a terminal a raw newline would start what looks like a new log line; JSON escapes it anyway. */
function oneLine(text: string): string {
  return text.replace(/\p{Cc}/gu, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? ' ' : '\ufffd'));
}

function destination(format: 'json' | 'pretty', isTty: boolean, write: (chunk: string) => void): { write(chunk: string): void } {
  if (format === 'json') return { write };
  // Loaded only when used: a production install that logs JSON never needs it.
  const { prettyFactory } = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
  const prettify = prettyFactory({ colorize: isTty, singleLine: true, translateTime: 'SYS:yyyy-mm-dd HH:MM:ss.l', ignore: 'pid,hostname' });
  return { write: (chunk) => write(prettify(chunk)) };
}

/**
 * Creates a logger at `level`. The second argument may be a plain `write(line)` function, which
 * is how tests capture lines.
 */
export function createLogger(level: LogLevel, options: LoggerOptions | ((line: string) => void) = {}): Logger {
  const opts: LoggerOptions = typeof options === 'function' ? { write: options } : options;
  const isTty = opts.isTty ?? (opts.write ? false : Boolean(process.stderr.isTTY));
  const format = opts.format === 'json' || opts.format === 'pretty' ? opts.format : isTty ? 'pretty' : 'json';
  // Looked up at each write, so a test that replaces process.stderr.write still sees the lines.
  const write = opts.write ? (chunk: string) => opts.write!(chunk.replace(/\n$/, '')) : (chunk: string) => void process.stderr.write(chunk);
  const instance = pino(
    // Fastify passes raw errors under `err`; everything else arrives through loggable().
    { level, timestamp: pino.stdTimeFunctions.isoTime, base: { pid: process.pid }, serializers: { err: (v: unknown) => (v instanceof Error ? pino.stdSerializers.errWithCause(v) : v) } },
    destination(format, isTty, write),
  );
  const at = (method: 'debug' | 'info' | 'warn' | 'error') => (msg: string, fields?: Record<string, unknown>) => {
    if (!instance.isLevelEnabled(method)) return;
    const pretty = format === 'pretty';
    const text = pretty ? oneLine(msg) : msg;
    if (fields) instance[method](loggable(fields, pretty), text);
    else instance[method](text);
  };
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  pinoOfLogger.set(logger, instance);
  return logger;
}

/** The pino instance behind a logger made by {@link createLogger}, for Fastify; undefined for others. */
export function pinoOf(logger: Logger): PinoLogger | undefined {
  return pinoOfLogger.get(logger);
}

/** A logger that drops everything, for tests. */
export const silentLogger: Logger = createLogger('silent');
