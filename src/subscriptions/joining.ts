import { subscriberEventData } from '../deliver/webhook-events.js';
import type { Subscriber } from '../model/subscriber.js';
import { readFollowToken, verifyFollowToken } from '../security/follow-token.js';
import { checkSignup, type SignupErrors, type SignupValues } from './form-checks.js';
import { sendAlreadySubscribedEmail, sendConfirmEmail, sendFollowConfirmEmail, sendWelcomeEmail } from './mail.js';
import { lookupSubscriberToken } from './reader-token.js';
import type { OperationContext, Origin } from './service-context.js';

/**
 * Joining: signup with double opt-in, confirming, a new confirmation link, and adding topics
 * from a Follow link. Every answer a visitor can see is the same whatever state the address was
 * in, so none of these reveals who subscribes.
 */

/** The outcome of a signup. Every `ok` outcome shows the visitor the same "check your inbox" page. */
export type SignupResult =
  | { ok: false; values: SignupValues; errors: SignupErrors }
  | { ok: true; email: string; outcome: 'too-many-mails' | 'confirmation-sent' | 'follow-confirmation-sent' | 'already-subscribed' };

/** Lets the caller refuse more mail to an address (the web's per-address limit); absent means always. */
export type MailGate = (email: string) => boolean;

/** What a confirmation link turned out to be: forged, for a reader already active, expired (or for one who left), or good. */
export type ConfirmLink =
  | { kind: 'invalid' }
  | { kind: 'active'; subscriber: Subscriber }
  | { kind: 'expired'; subscriber: Subscriber }
  | { kind: 'pending'; subscriber: Subscriber };

/** A Follow link: good (with the reader and the topics it adds), expired, or not valid. */
export type FollowLink = { kind: 'ok'; reader: Subscriber; topics: string[] } | { kind: 'expired' } | { kind: 'invalid' };

/**
 * Signs a visitor up: a new, pending, unsubscribed or bounced address becomes pending with a
 * fresh double opt-in; an active reader keeps everything (a stranger must not change their
 * topics) and is mailed either a link to add the new topics or an "already subscribed" note.
 */
export async function signup(op: OperationContext, values: SignupValues, origin: Origin, mayMail: MailGate = () => true): Promise<SignupResult> {
  const catalogue = await op.catalogue();
  const check = checkSignup(values, catalogue);
  if (!check.ok) return check;
  const { signup: valid } = check;
  if (!mayMail(valid.email)) return { ok: true, email: valid.email, outcome: 'too-many-mails' };
  const now = op.clock();
  const stamp = now.toISOString();
  const stored = await op.store.transaction(async (tx) => {
    const existing = await tx.subscribers.findByEmail(valid.email);
    if (existing?.status === 'active') return { active: true as const, subscriber: existing };
    const { id } = await tx.subscribers.upsert({ ...valid, status: 'pending' }, stamp);
    await tx.subscribers.updateProfile(id, { paused: false }, stamp);
    await op.record(tx, id, 'signup', origin, { shownWording: true, details: { topics: valid.topics, timezone: valid.timezone, ...valid.choices } });
    const subscriber = await tx.subscribers.findById(id);
    if (!subscriber) throw new Error(`subscriber ${id} vanished inside its own transaction`);
    return { active: false as const, subscriber, created: existing === undefined };
  });
  const s = stored.subscriber;
  if (!stored.active) {
    if (stored.created) await op.events.emit('subscriber.created', subscriberEventData(s));
    await sendConfirmEmail(op, s, await op.namesOf(s.topics), now);
    return { ok: true, email: valid.email, outcome: 'confirmation-sent' };
  }
  // An active reader asking for new topics (a Follow button) confirms adding just those.
  const adding = valid.topics.filter((t) => !s.topics.includes(t));
  if (adding.length > 0) {
    await sendFollowConfirmEmail(op, s, adding, await op.namesOf(adding), now);
    return { ok: true, email: valid.email, outcome: 'follow-confirmation-sent' };
  }
  await sendAlreadySubscribedEmail(op, s);
  return { ok: true, email: valid.email, outcome: 'already-subscribed' };
}

/** Reads a confirmation link without changing anything (GET, and link scanners). */
export async function readConfirmLink(op: OperationContext, token: string): Promise<ConfirmLink> {
  const found = await lookupSubscriberToken(op.store, op.secretKey, token, 'confirm', op.clock());
  if (!found.subscriber) return { kind: 'invalid' };
  const s = found.subscriber;
  // An active reader re-opening any of their confirmation links just sees the welcome again.
  if (s.status === 'active') return { kind: 'active', subscriber: s };
  if (!found.ok || s.status !== 'pending') return { kind: 'expired', subscriber: s };
  return { kind: 'pending', subscriber: s };
}

/**
 * Confirms a pending reader: active, unpaused, consent recorded, any old suppression lifted (the
 * reader proved the mailbox works and wants the mail; nothing else lifts a complaint), then the
 * welcome email. Any other link is answered as read, changing nothing.
 */
export async function confirm(op: OperationContext, token: string, origin: Origin): Promise<Exclude<ConfirmLink, { kind: 'pending' }>> {
  const link = await readConfirmLink(op, token);
  if (link.kind !== 'pending') return link;
  const s = link.subscriber;
  const stamp = op.clock().toISOString();
  // Check again inside the transaction: on a store whose queries interleave, both POSTs of a
  // double-click could pass the check above, and only one may activate and send the welcome.
  const activated = await op.store.transaction(async (tx) => {
    if ((await tx.subscribers.findById(s.id))?.status !== 'pending') return false;
    await tx.subscribers.setStatus(s.id, 'active', stamp);
    await tx.subscribers.updateProfile(s.id, { paused: false }, stamp);
    await op.record(tx, s.id, 'confirm', origin);
    if (await tx.suppressions.remove(s.email)) op.logger.info('suppression lifted by the reader confirming', { subscriber: s.id });
    return true;
  });
  const active: Subscriber = { ...s, status: 'active', paused: false };
  if (activated) {
    op.logger.info('reader confirmed', { subscriber: s.id });
    await op.events.emit('subscriber.confirmed', subscriberEventData(active));
    await sendWelcomeEmail(op, s, await op.namesOf(s.topics));
  }
  return { kind: 'active', subscriber: active };
}

/**
 * Sends a new confirmation link for one whose signature is ours, expired or not. Returns false
 * only for a link that is not ours; otherwise the visitor sees the same answer whether or not
 * mail went out (the reader may have confirmed meanwhile, or hit the per-address limit).
 */
export async function resendConfirmation(op: OperationContext, token: string, mayMail: MailGate = () => true): Promise<boolean> {
  const found = await lookupSubscriberToken(op.store, op.secretKey, token, 'confirm', op.clock());
  if (!found.subscriber) return false;
  const s = found.subscriber;
  if (s.status === 'pending' && mayMail(s.email)) await sendConfirmEmail(op, s, await op.namesOf(s.topics), op.clock());
  return true;
}

/** Reads a Follow link: only an active reader's, signed with their key and not expired, is good. */
export async function readFollowLink(op: OperationContext, token: string): Promise<FollowLink> {
  const claims = readFollowToken(token);
  const reader = claims ? await op.store.subscribers.findByPublicId(claims.publicId) : undefined;
  const verdict = claims && reader ? verifyFollowToken(op.secretKey, reader.signingKey, token, Math.floor(op.clock().getTime() / 1000)) : 'forged';
  if (verdict === 'expired') return { kind: 'expired' };
  if (verdict !== 'ok' || !reader || !claims || reader.status !== 'active') return { kind: 'invalid' };
  return { kind: 'ok', reader, topics: claims.topics };
}

/** Adds a Follow link's topics (those still in the catalogue) to the reader's own; returns the reader after. */
export async function follow(op: OperationContext, token: string, origin: Origin): Promise<FollowLink> {
  const link = await readFollowLink(op, token);
  if (link.kind !== 'ok') return link;
  const known = new Set((await op.catalogue()).map((t) => t.slug));
  const reader = await op.store.transaction(async (tx) => {
    const current = await tx.subscribers.findById(link.reader.id);
    const topics = [...new Set([...(current?.topics ?? []), ...link.topics.filter((t) => known.has(t))])];
    await tx.subscribers.setTopics(link.reader.id, topics);
    await op.record(tx, link.reader.id, 'change', origin, { details: { topics } });
    return (await tx.subscribers.findById(link.reader.id)) ?? link.reader;
  });
  await op.events.emit('subscriber.updated', subscriberEventData(reader));
  return { kind: 'ok', reader, topics: link.topics };
}
