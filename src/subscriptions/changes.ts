import { subscriberEventData } from '../deliver/webhook-events.js';
import type { Frequency, ReaderChoices, Subscriber } from '../model/subscriber.js';
import { addSubscriber, type AddSubscriberInput } from './add-subscriber.js';
import { checkPreferences, type PreferenceErrors, type PreferenceValues } from './form-checks.js';
import { sendConfirmEmail } from './mail.js';
import { eraseReader } from './my-data.js';
import type { OperationContext, Origin } from './service-context.js';

/**
 * Changes to a reader who is already stored: preferences, pause, the frequency switch link,
 * unsubscribe, erasure, and the operator's add and update. Each writes its change and its
 * consent record in one transaction, then tells webhook listeners.
 */

/** The frequencies the digest footer's one-click switch offers. */
export type SwitchTarget = Extract<Frequency, 'daily' | 'weekly'>;

/** The outcome of a preferences change: the reader after, or the errors (and the zone, when only it was fine). */
export type PreferencesResult = { ok: true; subscriber: Subscriber } | { ok: false; errors: PreferenceErrors; timezone?: string };

/** Saves a reader's topics, time zone and choices from the preferences page. */
export async function changePreferences(op: OperationContext, s: Subscriber, values: PreferenceValues, origin: Origin): Promise<PreferencesResult> {
  const check = checkPreferences(values, await op.catalogue());
  if (!check.ok) return check;
  const { topics, timezone, choices } = check.preferences;
  const stamp = op.clock().toISOString();
  await op.store.transaction(async (tx) => {
    await tx.subscribers.setTopics(s.id, topics);
    await tx.subscribers.updateProfile(s.id, { timezone }, stamp);
    await tx.subscribers.setChoices(s.id, choices, stamp);
    await op.record(tx, s.id, 'change', origin, { details: { topics, timezone, ...choices } });
  });
  const after: Subscriber = { ...s, topics, timezone, ...choices };
  await op.events.emit('subscriber.updated', { ...subscriberEventData(after), ...choices });
  return { ok: true, subscriber: after };
}

/** Pauses or resumes a reader's digest; they stay subscribed either way. */
export async function setPaused(op: OperationContext, s: Subscriber, paused: boolean, origin: Origin): Promise<Subscriber> {
  await op.store.transaction(async (tx) => {
    await tx.subscribers.updateProfile(s.id, { paused }, op.clock().toISOString());
    await op.record(tx, s.id, 'change', origin, { details: { paused } });
  });
  op.logger.info(paused ? 'reader paused' : 'reader resumed', { subscriber: s.id, source: origin.source });
  await op.events.emit('subscriber.updated', { ...subscriberEventData(s), paused });
  return { ...s, paused };
}

/** The choices after a switch: a weekly reader keeps their day if they had one, else Monday. */
export function switchedChoices(s: ReaderChoices, to: SwitchTarget): ReaderChoices {
  return { frequency: to, weekday: to === 'weekly' ? (s.weekday ?? 'monday') : null, sendTime: s.sendTime };
}

/** Switches a reader to a daily or weekly digest (the digest footer's link); returns the new choices. */
export async function switchFrequency(op: OperationContext, s: Subscriber, to: SwitchTarget, origin: Origin): Promise<ReaderChoices> {
  const next = switchedChoices(s, to);
  await op.store.transaction(async (tx) => {
    await tx.subscribers.setChoices(s.id, next, op.clock().toISOString());
    await op.record(tx, s.id, 'change', origin, { details: { ...next } });
  });
  await op.events.emit('subscriber.updated', { ...subscriberEventData(s), ...next });
  return next;
}

/** Whether unsubscribing would change anything: only active and pending readers can leave (see {@link unsubscribe}). */
export function canUnsubscribe(s: Pick<Subscriber, 'status'>): boolean {
  return s.status === 'active' || s.status === 'pending';
}

/**
 * Unsubscribes an active or pending reader; returns whether anything changed. Bounced stays
 * bounced: that status matters more to the sender than the reader's wish, and unsubscribed is
 * already where they want to be. `quiet` leaves the event to a caller announcing a larger change.
 */
export async function unsubscribe(op: OperationContext, s: Subscriber, origin: Origin, quiet = false): Promise<boolean> {
  if (!canUnsubscribe(s)) return false;
  await op.store.transaction(async (tx) => {
    await tx.subscribers.setStatus(s.id, 'unsubscribed', op.clock().toISOString());
    await op.record(tx, s.id, 'unsubscribe', origin);
  });
  op.logger.info('reader unsubscribed', { subscriber: s.id, source: origin.source });
  if (!quiet) await op.events.emit('subscriber.unsubscribed', subscriberEventData({ ...s, status: 'unsubscribed' }));
  return true;
}

/** Erases a reader (see my-data.ts) and tells listeners they are gone; returns the erasure log's hash. */
export async function erase(op: OperationContext, s: Subscriber, source: string): Promise<string> {
  const hash = await eraseReader(op.store, op.secretKey, s, source, op.clock());
  op.logger.info('reader erased', { subscriber: s.id, source });
  await op.events.emit('subscriber.unsubscribed', { id: s.publicId, status: 'erased' });
  return hash;
}

/** Options for {@link add}. */
export interface AddOptions {
  /** New (and pending) readers get this status; an active reader stays active. */
  status: 'active' | 'pending';
  /** Recorded as consent evidence when given; an update without one records none. */
  origin?: Origin;
  /** Mail a pending reader the double opt-in, as the signup form does. */
  sendConfirmation?: boolean;
}

/**
 * Adds one reader for an operator (API, CLI), or updates them in place, with the import's rules
 * (see add-subscriber.ts). Optionally mails the double opt-in, then tells listeners.
 *
 * @throws AppError SUBSCRIBER_INVALID when the input breaks a rule or the reader left.
 */
export async function add(op: OperationContext, input: AddSubscriberInput, options: AddOptions): Promise<{ subscriber: Subscriber; outcome: 'added' | 'updated' }> {
  const now = op.clock();
  const { email, outcome } = await addSubscriber(op.store, input, { status: options.status, now: now.toISOString(), ...(options.origin ? { consentSource: options.origin.source } : {}) });
  const subscriber = await op.store.subscribers.findByEmail(email);
  if (!subscriber) throw new Error(`subscriber ${email} vanished after being written`);
  if (options.sendConfirmation && subscriber.status === 'pending') await sendConfirmEmail(op, subscriber, await op.namesOf(subscriber.topics), now);
  await op.events.emit(outcome === 'added' ? 'subscriber.created' : 'subscriber.updated', subscriberEventData(subscriber));
  return { subscriber, outcome };
}

/** An operator's change to one reader; omitted fields keep their value, null clears name or zone. */
export interface ReaderPatch extends Partial<Omit<AddSubscriberInput, 'email'>> {
  paused?: boolean;
  /** Only leaving is offered: only the reader can come back. */
  status?: 'unsubscribed';
}

/**
 * Applies an operator's change (the admin API's PATCH) with the import's rules for the profile,
 * one consent record for the change and one webhook event for the outcome; returns the reader
 * after and whether they left.
 */
export async function update(op: OperationContext, s: Subscriber, patch: ReaderPatch, origin: Origin): Promise<{ subscriber: Subscriber; left: boolean }> {
  const { paused, status, ...fields } = patch;
  const given = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  const stamp = op.clock().toISOString();
  // The import's status rule keeps an active reader active and a pending one pending.
  if (Object.keys(given).length > 0) await addSubscriber(op.store, { email: s.email, topics: s.topics, ...given }, { status: s.status === 'active' ? 'active' : 'pending', now: stamp });
  if (Object.keys(given).length > 0 || paused !== undefined) {
    await op.store.transaction(async (tx) => {
      if (paused !== undefined) await tx.subscribers.updateProfile(s.id, { paused }, stamp);
      await op.record(tx, s.id, 'change', origin, { details: { ...given, ...(paused !== undefined ? { paused } : {}) } });
    });
  }
  const left = status === 'unsubscribed' && (await unsubscribe(op, s, origin, true));
  const after = await op.store.subscribers.findById(s.id);
  if (!after) throw new Error(`subscriber ${s.id} vanished after being updated`);
  // One change, one event, naming the outcome.
  await op.events.emit(left ? 'subscriber.unsubscribed' : 'subscriber.updated', subscriberEventData(after));
  return { subscriber: after, left };
}
