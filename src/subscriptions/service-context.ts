import type { Events } from '../deliver/webhook-events.js';
import type { Subscriber } from '../model/subscriber.js';
import { topicNames, type Topic } from '../model/topic.js';
import type { Store } from '../store/store.js';
import { recordConsentEvent, type ConsentAction } from './consent.js';
import type { SubscriptionMailDeps } from './mail.js';

/**
 * What the subscription service is built from, and the few helpers its operations share. Kept
 * apart from service.ts so the operation files (joining.ts, changes.ts) depend on this small
 * module and not on each other.
 */

/** The parts the composition root hands the service. */
export interface SubscriptionDeps extends SubscriptionMailDeps {
  store: Store;
  events: Pick<Events, 'emit'>;
  /** The clock; tests pin it. */
  now?: () => Date;
}

/**
 * Where a change came from, for the consent record: 'web:signup', 'web:preferences', 'api',
 * 'console', 'cli:subscribers add', 'import:<file>'. `ip` and `userAgent` come from a web
 * request; `details` adds to what the operation records (the console adds the admin's name).
 */
export interface Origin {
  source: string;
  ip?: string | null;
  userAgent?: string | null;
  details?: Record<string, unknown>;
}

/** The deps plus shared helpers, as every operation sees them. */
export interface OperationContext extends SubscriptionDeps {
  clock(): Date;
  /** The topic catalogue, in catalogue order. */
  catalogue(): Promise<Topic[]>;
  /** Display names of these slugs, for emails and pages. */
  namesOf(slugs: readonly string[]): Promise<string[]>;
  /** Records one consent event inside the caller's transaction. */
  record(tx: Pick<Store, 'consent'>, subscriberId: number, action: ConsentAction, origin: Origin, extra?: { details?: object; shownWording?: boolean }): Promise<void>;
}

/** Builds the shared helpers over the deps. */
export function operationContext(deps: SubscriptionDeps): OperationContext {
  const clock = deps.now ?? (() => new Date());
  const catalogue = () => deps.store.topics.list();
  return {
    ...deps,
    clock,
    catalogue,
    namesOf: async (slugs) => topicNames(await catalogue(), slugs),
    record: async (tx, subscriberId, action, origin, extra = {}) => {
      const details = extra.details || origin.details ? { ...extra.details, ...origin.details } : null;
      await recordConsentEvent(
        tx,
        { subscriberId, action, source: origin.source, ip: origin.ip ?? null, userAgent: origin.userAgent ?? null, shownWording: extra.shownWording ?? false, details },
        { fullIp: deps.config.consent.fullIp, now: clock().toISOString() },
      );
    },
  };
}

/** An erased reader leaves a stub row (the ledger points at it) whose address is `erased:<hash>`; to everyone else they are gone. */
export function isErased(s: Pick<Subscriber, 'email'>): boolean {
  return s.email.startsWith('erased:');
}
