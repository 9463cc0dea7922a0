import { createHash } from 'node:crypto';
import type { Store } from '../store/store.js';
import { suppressionKey } from '../store/suppression-repository.js';
import { matchDelivery, type MatchedBy } from './match-delivery.js';
import type { FeedbackKind, FeedbackReport } from './report.js';
import type { Verp } from './verp.js';

/** The rules reports are applied with, from config. */
export interface FeedbackRules {
  bounceLimit: number;
  softBounceLimit: number;
  verp: Verp | undefined;
  /** Hears each newly recorded report after it commits (outbound webhook events). */
  onRecorded?: (outcome: FeedbackOutcome) => Promise<void>;
}

/** What recording one report did. */
export interface FeedbackOutcome {
  kind: FeedbackKind;
  summary: string;
  /** True when this exact report had been recorded before: nothing changed. */
  duplicate: boolean;
  matchedBy: MatchedBy;
  deliveryId?: number;
  email?: string;
  /** What happened to the reader. */
  action: 'none' | 'counted' | 'bounced' | 'unsubscribed' | 'suppressed';
}

/** Where a report came from, and the id that makes a re-delivery of it a no-op. */
export interface FeedbackSource {
  /** 'mail', 'imap', 'ses', 'postmark', 'mailgun', 'sendgrid'. */
  name: string;
  /** The provider's event id, or for mail the report's Message-ID; falls back to a hash of `raw`. */
  eventId?: string;
  raw?: string | Buffer;
}

/**
 * Applies one report, in one transaction: keeps it (once, by fingerprint), marks the delivery,
 * and acts on the reader. A hard bounce counts toward BOUNCE_LIMIT; SOFT_BOUNCE_LIMIT soft
 * bounces on consecutive digests mark the reader bounced; a complaint unsubscribes at once.
 * Bounced and complaining addresses are added to the suppression list.
 */
export async function recordFeedback(store: Pick<Store, 'transaction'>, rules: FeedbackRules, given: FeedbackReport, source: FeedbackSource, now: Date = new Date()): Promise<FeedbackOutcome> {
  const stamp = now.toISOString();
  const report = withoutControlCharacters(given);
  const outcome = await store.transaction(async (tx): Promise<FeedbackOutcome> => {
    // Anyone can mail the bounce address; with VERP on, a mailed report must prove itself (signed
    // token or the message's own Message-ID). Providers' webhooks are signed, so they may name a recipient.
    const strict = rules.verp !== undefined && (source.name === 'mail' || source.name === 'imap');
    const match = await matchDelivery(tx.feedback, rules.verp, report, { strict });
    const email = match.subscriber?.email ?? report.recipient;
    const out: FeedbackOutcome = {
      kind: report.kind,
      summary: report.summary,
      duplicate: false,
      matchedBy: match.by,
      ...(match.delivery ? { deliveryId: match.delivery.id } : {}),
      ...(email ? { email } : {}),
      action: 'none',
    };
    const fresh = await tx.feedback.recordEvent({
      fingerprint: fingerprint(source, report),
      source: source.name,
      kind: report.kind,
      recipient: email ? suppressionKey(email) : null,
      delivery_id: match.delivery?.id ?? null,
      subscriber_id: match.subscriber?.id ?? null,
      summary: report.summary,
      received_at: stamp,
    });
    if (!fresh) return { ...out, duplicate: true };
    if (report.kind === 'ignored') return out;
    const subscriberId = match.subscriber?.id;
    const deliveryId = match.delivery?.id;

    if (report.kind === 'complaint') {
      if (deliveryId !== undefined) await tx.feedback.markComplained(deliveryId, report.summary, stamp);
      // Only a reader still on the list is unsubscribed: re-stamping would move their unsubscribe day.
      const current = subscriberId !== undefined ? await tx.subscribers.findById(subscriberId) : undefined;
      if (current && (current.status === 'active' || current.status === 'pending')) await tx.subscribers.setStatus(current.id, 'unsubscribed', stamp);
      if (email) await tx.suppressions.add(email, 'complaint', report.summary, stamp);
      out.action = subscriberId !== undefined ? 'unsubscribed' : email ? 'suppressed' : 'none';
      return out;
    }

    const before = deliveryId !== undefined ? await tx.feedback.markBounced(deliveryId, report.kind, report.summary, stamp) : null;
    // One message bounces once: a second report about it (a retry, another hop) counts nothing new.
    if (subscriberId === undefined || before === 'hard' || (before === 'soft' && report.kind === 'soft')) return out;
    // A soft bounce counts only through its delivery (consecutive digests); without one there is nothing to count.
    if (report.kind === 'soft' && deliveryId === undefined) return out;
    out.action = 'counted';
    let bounced = false;
    if (report.kind === 'hard') {
      bounced = (await tx.subscribers.recordHardBounce(subscriberId, stamp)) >= rules.bounceLimit;
    } else if (deliveryId !== undefined) {
      // "No delivery in between": the reader's last N digests that went out all soft-bounced.
      const recent = await tx.feedback.recentSent(subscriberId, rules.softBounceLimit);
      bounced = recent.length >= rules.softBounceLimit && recent.every((r) => r.bounceType !== null);
    }
    if (bounced) {
      const current = await tx.subscribers.findById(subscriberId);
      // A reader who already left keeps their status: "unsubscribed" must not turn into "bounced".
      if (current?.status === 'active' || current?.status === 'pending') await tx.subscribers.setStatus(subscriberId, 'bounced', stamp);
      await tx.suppressions.add(email!, report.kind === 'hard' ? 'hard-bounce' : 'soft-bounce', report.summary, stamp);
      out.action = 'bounced';
    }
    return out;
  });
  if (!outcome.duplicate && outcome.kind !== 'ignored') await rules.onRecorded?.(outcome);
  return outcome;
}

/** The same report read again (a re-run, an IMAP message seen twice, a webhook retry) gets the same print. */
function fingerprint(source: FeedbackSource, report: FeedbackReport): string {
  if (source.eventId) return `${source.name}:${source.eventId}`.slice(0, 500);
  // The recipient only as a hash: the print outlives an erasure, the address must not.
  if (report.reportId) return `mail:${report.reportId.slice(0, 400)}|${createHash('sha256').update(report.recipient ?? '').digest('hex').slice(0, 32)}`;
  const hash = createHash('sha256').update(source.raw ?? JSON.stringify(report)).digest('hex');
  return `${source.name === 'imap' ? 'mail' : source.name}:sha256:${hash}`;
}

/**
 * A report's text comes from whoever sent the bounce: control characters (terminal escapes, CR/LF)
 * would reach operators' terminals through `feedback process`, `deliveries list` and the logs.
 */
function withoutControlCharacters(report: FeedbackReport): FeedbackReport {
  const clean = (v: string) => v.replace(/\p{Cc}+/gu, ' ').trim();
  return {
    ...report,
    summary: clean(report.summary),
    ...(report.recipient !== undefined ? { recipient: clean(report.recipient) } : {}),
  };
}
