import { startSmtpSink, type SinkFaults, type SmtpSink } from './smtp-sink.js';

/**
 * The ways a real relay misbehaves that the sender must survive without duplicates or losses.
 * - `close-after-data`: saves the message, then drops the connection without replying.
 * - `silent-after-data`: saves the message and never replies.
 * - `late-reply`: saves the message and says 250 only after `lateMs` (past the client's timeout).
 * - `reset-before-data`: drops the connection at MAIL FROM, before any DATA.
 * - `greeting-421`: refuses the session with 421 at the greeting.
 * - `rcpt-451` / `rcpt-550`: refuses the recipient with 451 (try later) or 550 (no such user).
 */
export type SmtpFault = 'close-after-data' | 'silent-after-data' | 'late-reply' | 'reset-before-data' | 'greeting-421' | 'rcpt-451' | 'rcpt-550';

/** Options for {@link startMisbehavingSmtp}. */
export interface MisbehavingOptions {
  /** How many times the fault strikes before the server behaves (default: once). */
  times?: number;
  /** Occasions to let pass before the first strike (e.g. 1 lets the sender's verify connection through). */
  skip?: number;
  /** For `late-reply`: how long before the 250 comes. */
  lateMs?: number;
}

/** A real SMTP server that misbehaves `times` times, then works; `injected` counts the faults served. */
export interface MisbehavingSmtp extends SmtpSink {
  injected(): number;
}

/** Starts a real smtp-server on port 0 that injects `fault`. */
export async function startMisbehavingSmtp(fault: SmtpFault, options: MisbehavingOptions = {}): Promise<MisbehavingSmtp> {
  let left = options.times ?? 1;
  let skip = options.skip ?? 0;
  let injected = 0;
  const strike = (): boolean => {
    if (skip-- > 0 || left <= 0) return false;
    left--;
    injected++;
    return true;
  };
  const faults: SinkFaults = {};
  if (fault === 'greeting-421') faults.greeting = () => (strike() ? { code: 421, message: 'Service not available, try later' } : undefined);
  if (fault === 'reset-before-data') faults.mailFrom = () => (strike() ? 'reset' : undefined);
  if (fault === 'close-after-data') faults.afterSave = () => (strike() ? 'close' : undefined);
  if (fault === 'silent-after-data') faults.afterSave = () => (strike() ? 'silence' : undefined);
  if (fault === 'late-reply') faults.afterSave = () => (strike() ? (options.lateMs ?? 5_000) : undefined);
  const rcpt = fault === 'rcpt-451' ? 451 : fault === 'rcpt-550' ? 550 : undefined;
  const sink = await startSmtpSink({
    faults,
    ...(rcpt ? { recipients: () => (strike() ? { code: rcpt, message: rcpt === 451 ? 'Try again later' : 'No such user' } : 'accept') } : {}),
  });
  return Object.assign(sink, { injected: () => injected });
}
