import type { Config } from '../config.js';
import { defaultListId } from '../deliver/headers.js';
import type { DigestRunDeps } from './digest-run.js';

/**
 * The digest rules and list settings as the run and `preview` both see them, built from config
 * in one place so a preview plans and addresses exactly what a send would.
 */
export function digestSettings(config: Config, overrides: { retryBaseMs?: number } = {}): DigestRunDeps['settings'] {
  const fromAddress = config.mail.from;
  return {
    ...config.digest,
    defaultTimezone: config.digest.timezone,
    leaseSeconds: config.claimLeaseSeconds,
    concurrency: config.smtp.maxConnections,
    bounceLimit: config.bounceLimit,
    listId: config.mail.listId ?? defaultListId(config.mail.senderName, fromAddress),
    fromAddress,
    unsubscribeMailto: `mailto:${config.mail.unsubscribeMailbox ?? bareAddress(fromAddress)}?subject=unsubscribe`,
    ...(overrides.retryBaseMs !== undefined ? { retryBaseMs: overrides.retryBaseMs } : {}),
  };
}

/** `user@host` out of `Name <user@host>`. */
function bareAddress(from: string): string {
  return /<([^>]+)>/.exec(from)?.[1] ?? from.trim();
}
