import type { FeedbackDelivery, FeedbackRepository } from '../store/feedback-repository.js';
import { suppressionKey } from '../store/suppression-repository.js';
import type { FeedbackReport } from './report.js';
import type { Verp } from './verp.js';

/** How a report was tied to a delivery. */
export type MatchedBy = 'verp' | 'message-id' | 'entity-ref' | 'recipient-date' | 'recipient' | 'none';

/** The delivery (if any) and reader (if any) a report is about. */
export interface FeedbackMatch {
  by: MatchedBy;
  delivery?: FeedbackDelivery;
  subscriber?: { id: number; email: string };
}

/**
 * Finds the delivery a report concerns, most reliable clue first: the signed VERP token, the
 * returned Message-ID, the X-Entity-Ref-ID (`<edition>.<delivery id>`), then the recipient and
 * date. A report that names only an address still reaches the reader, without a delivery.
 *
 * `strict` (a mailed report while VERP is on): only clues a forger cannot know count — a valid
 * token or the message's random Message-ID. Edition keys are public (the archive) and delivery
 * ids and dates guessable, so a forged DSN naming someone's address would otherwise bounce them.
 */
export async function matchDelivery(repo: FeedbackRepository, verp: Verp | undefined, report: FeedbackReport, options: { strict?: boolean } = {}): Promise<FeedbackMatch> {
  const viaVerp = verp?.deliveryIdIn(report.refs.envelopeTo);
  const found = (by: MatchedBy, d: FeedbackDelivery | undefined): FeedbackMatch | undefined =>
    d ? { by, delivery: d, subscriber: { id: d.subscriberId, email: d.email } } : undefined;
  const proven =
    (viaVerp !== undefined ? found('verp', await repo.deliveryById(viaVerp)) : undefined) ??
    found('message-id', await repo.deliveryByMessageId(report.refs.messageIds));
  if (proven) return proven;
  if (options.strict) return { by: 'none' };
  const m = await byEntityRef(repo, report.refs.entityRefIds);
  if (m) return m;
  if (!report.recipient) return { by: 'none' };
  const email = suppressionKey(report.recipient);
  const byDate = await repo.lastDeliveryTo(email, report.refs.date);
  if (byDate) return found('recipient-date', byDate)!;
  const subscriber = await repo.subscriberByEmail(email);
  return subscriber ? { by: 'recipient', subscriber } : { by: 'none' };
}

async function byEntityRef(repo: FeedbackRepository, refs: string[]): Promise<FeedbackMatch | undefined> {
  for (const ref of refs) {
    const m = /^(.+)\.(\d{1,15})$/.exec(ref);
    if (!m) continue;
    const d = await repo.deliveryById(Number(m[2]));
    // The edition key must agree too: a guessed number alone does not name a delivery.
    if (d && d.editionKey === m[1]) return { by: 'entity-ref', delivery: d, subscriber: { id: d.subscriberId, email: d.email } };
  }
  return undefined;
}
