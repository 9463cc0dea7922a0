import { createHmac } from 'node:crypto';
import type { Subscriber } from '../model/subscriber.js';
import type { LinkBuilder } from '../security/subscriber-links.js';
import type { ConsentRecord } from '../store/consent-repository.js';
import type { Store } from '../store/store.js';

/**
 * A reader's own data: everything we hold about them as one JSON document, and erasure. The web
 * page ("Download my data", "Delete me") and the operator commands (`subscribers export`,
 * `subscribers erase`) both come here, so they give and remove exactly the same things.
 */

/** The export of one reader. */
export interface ReaderExport {
  exportedAt: string;
  profile: { email: string; name: string | null; status: string; timezone: string | null; paused: boolean; createdAt: string; confirmedAt: string | null; unsubscribedAt: string | null };
  topics: string[];
  choices: { frequency: string; weekday: string | null; sendTime: string | null };
  consent: ConsentRecord[];
  deliveries: Array<{ date: string; status: string; reason: string | null; archiveUrl: string | null; plannedAt: string; finishedAt: string | null }>;
  /** SMTP refusals (failures) and bounce reports that came back later (reports). */
  bounces: { hardBounces: number; failures: Array<{ date: string; error: string | null }>; reports: Array<{ date: string; type: string | null; at: string; summary: string | null }> };
  /** Spam complaints about digests sent to this reader. */
  complaints: Array<{ date: string; at: string; summary: string | null }>;
}

/**
 * The erasure log's identifier for an address: an HMAC under the app's secret, so the log can
 * answer "was this address erased?" for someone who holds the secret and the address, and
 * nobody else can reverse it by hashing a list of addresses.
 */
export function emailHash(secret: string, email: string): string {
  return createHmac('sha256', secret).update(email.trim().toLowerCase()).digest('hex');
}

/** Everything stored about one reader. */
export async function exportReader(store: Store, links: LinkBuilder, s: Subscriber, now: Date = new Date()): Promise<ReaderExport> {
  const deliveries = await store.privacy.deliveriesOf(s.id);
  return {
    exportedAt: now.toISOString(),
    profile: { email: s.email, name: s.name, status: s.status, timezone: s.timezone, paused: s.paused, createdAt: s.createdAt, confirmedAt: s.confirmedAt, unsubscribedAt: s.unsubscribedAt },
    topics: s.topics,
    choices: { frequency: s.frequency, weekday: s.weekday, sendTime: s.sendTime },
    consent: await store.consent.listFor(s.id),
    deliveries: deliveries.map((d) => ({
      date: d.localDate,
      status: d.status,
      reason: d.reason,
      archiveUrl: d.editionKey && d.status === 'sent' ? links.archiveUrl(d.editionKey) : null,
      plannedAt: d.plannedAt,
      finishedAt: d.finishedAt,
    })),
    bounces: {
      hardBounces: s.hardBounces,
      failures: deliveries.filter((d) => d.status === 'failed').map((d) => ({ date: d.localDate, error: d.error })),
      reports: deliveries.flatMap((d) => (d.bouncedAt ? [{ date: d.localDate, type: d.bounceType, at: d.bouncedAt, summary: d.feedback }] : [])),
    },
    complaints: deliveries.flatMap((d) => (d.complainedAt ? [{ date: d.localDate, at: d.complainedAt, summary: d.feedback }] : [])),
  };
}

/**
 * Erases a reader (see PrivacyRepository.erase): profile, topics and consent records go, the
 * ledger keeps only a hash, and the erasure log records hash and time. Returns the hash.
 */
export async function eraseReader(store: Store, secret: string, s: Pick<Subscriber, 'id' | 'email'>, source: string, now: Date = new Date()): Promise<string> {
  const hash = emailHash(secret, s.email);
  await store.transaction(async (tx) => {
    await tx.privacy.erase(s.id, s.email, hash, source, now.toISOString());
    // Outbound events about the reader carry their address; they go with the rest.
    await tx.webhooks.forgetAddress(s.email);
  });
  return hash;
}
