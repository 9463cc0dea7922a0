import type { ReaderChoices, Subscriber } from '../model/subscriber.js';
import type { Topic } from '../model/topic.js';
import type { SubscriberLinks } from '../security/subscriber-links.js';
import type { TokenPurpose } from '../security/tokens.js';
import type { AddSubscriberInput } from './add-subscriber.js';
import { importSubscribers, type ImportSubscribersOptions, type ImportSubscribersResult } from './import-subscribers.js';
import type { RawSubscriberRow } from '../subscribers/subscriber-file.js';
import { storedForm } from '../subscribers/email-address.js';
import * as changes from './changes.js';
import type { PreferenceValues, SignupValues } from './form-checks.js';
import * as joining from './joining.js';
import { exportReader, type ReaderExport } from './my-data.js';
import { lookupSubscriberToken, type TokenLookup } from './reader-token.js';
import { isErased, operationContext, type Origin, type SubscriptionDeps } from './service-context.js';

export type { AddOptions, PreferencesResult, ReaderPatch, SwitchTarget } from './changes.js';
export type { ConfirmLink, FollowLink, MailGate, SignupResult } from './joining.js';
export type { Origin, SubscriptionDeps } from './service-context.js';

/**
 * The subscription service: the one home of the rules for a reader. The web pages, the admin
 * console and API, and the CLI all call it, so a signup, a change or an unsubscribe means the
 * same thing (same checks, same consent record, same webhook event) whichever door it came in
 * by. Built once in the composition root (main.ts) and handed to whoever needs it.
 */
export interface SubscriptionService {
  /** The topic catalogue, in catalogue order, for forms and pages. */
  catalogue(): Promise<Topic[]>;
  /** A reader's signed personal links (preferences, unsubscribe). */
  linksFor(s: Pick<Subscriber, 'publicId' | 'signingKey'>): SubscriberLinks;
  /** Checks a personal link for `purpose` and loads its reader. */
  readLink(token: string, purpose: TokenPurpose): Promise<TokenLookup>;
  /** A stored reader by address, normalised as stored; erased stubs are not found by any lookup. */
  findByAddress(raw: string): Promise<Subscriber | undefined>;
  /** A stored reader by the public id links and the API carry. */
  findByPublicId(publicId: string): Promise<Subscriber | undefined>;
  /** A stored reader by row id (the console's). */
  findById(id: number): Promise<Subscriber | undefined>;
  /** Readers, optionally with one status; erased stubs left out. */
  list(filter?: { status?: Subscriber['status'] }): Promise<Subscriber[]>;

  /** The signup form: checks it, then double opt-in (see joining.ts). */
  signup(values: SignupValues, origin: Origin, mayMail?: joining.MailGate): Promise<joining.SignupResult>;
  /** What a confirmation link is, changing nothing (GET; link scanners). */
  readConfirmLink(token: string): Promise<joining.ConfirmLink>;
  /** Activates a pending reader once and welcomes them; other links answer as read. */
  confirm(token: string, origin: Origin): Promise<Exclude<joining.ConfirmLink, { kind: 'pending' }>>;
  /** A new confirmation link for a pending reader; false only for a link that is not ours. */
  resendConfirmation(token: string, mayMail?: joining.MailGate): Promise<boolean>;
  /** What a Follow link is, changing nothing. */
  readFollowLink(token: string): Promise<joining.FollowLink>;
  /** Adds a Follow link's topics to an active reader's own. */
  follow(token: string, origin: Origin): Promise<joining.FollowLink>;

  /** The preferences form: topics, zone and choices, checked and saved. */
  changePreferences(s: Subscriber, values: PreferenceValues, origin: Origin): Promise<changes.PreferencesResult>;
  /** Pause or resume (the reader's page, the console). */
  setPaused(s: Subscriber, paused: boolean, origin: Origin): Promise<Subscriber>;
  /** The choices a switch link would give, to show before the reader agrees. */
  switchedChoices(s: ReaderChoices, to: changes.SwitchTarget): ReaderChoices;
  /** The digest footer's switch to daily or weekly. */
  switchFrequency(s: Subscriber, to: changes.SwitchTarget, origin: Origin): Promise<ReaderChoices>;
  /** Unsubscribes an active or pending reader (bounced stays bounced); true when it changed anything. */
  unsubscribe(s: Subscriber, origin: Origin): Promise<boolean>;

  /** One reader from an operator (API, `subscribers add`), with the import's rules. */
  add(input: AddSubscriberInput, options: changes.AddOptions): Promise<{ subscriber: Subscriber; outcome: 'added' | 'updated' }>;
  /** An operator's patch (the admin API). */
  update(s: Subscriber, patch: changes.ReaderPatch, origin: Origin): Promise<{ subscriber: Subscriber; left: boolean }>;
  /** A subscriber file (`subscribers import`): all rows in one transaction, or none. */
  importRows(rows: readonly RawSubscriberRow[], options: Omit<ImportSubscribersOptions, 'now'>): Promise<ImportSubscribersResult>;

  /** "Download my data" and `subscribers export`. */
  exportData(s: Subscriber): Promise<ReaderExport>;
  /** "Delete me", the console, the API and `subscribers erase`; returns the erasure log's hash. */
  erase(s: Subscriber, source: string): Promise<string>;
  /** `subscribers remove`: deletes the row and all it recorded, no hash kept; returns the address matched, if any. */
  remove(raw: string): Promise<string | undefined>;
}

/** Builds the service over the app's store, mail queue, links and events. */
export function createSubscriptionService(deps: SubscriptionDeps): SubscriptionService {
  const op = operationContext(deps);
  const visible = (s: Subscriber | undefined) => (s && !isErased(s) ? s : undefined);
  return {
    catalogue: op.catalogue,
    linksFor: (s) => deps.links.forSubscriber(s),
    readLink: (token, purpose) => lookupSubscriberToken(deps.store, deps.secretKey, token, purpose, op.clock()),
    findByAddress: async (raw) => visible(await deps.store.subscribers.findByEmail(storedForm(raw))),
    findByPublicId: async (publicId) => (/^[\w-]{1,64}$/.test(publicId) ? visible(await deps.store.subscribers.findByPublicId(publicId)) : undefined),
    findById: async (id) => visible(await deps.store.subscribers.findById(id)),
    // The repository's list already leaves erased stubs out.
    list: (filter = {}) => deps.store.subscribers.list(filter),

    signup: (values, origin, mayMail) => joining.signup(op, values, origin, mayMail),
    readConfirmLink: (token) => joining.readConfirmLink(op, token),
    confirm: (token, origin) => joining.confirm(op, token, origin),
    resendConfirmation: (token, mayMail) => joining.resendConfirmation(op, token, mayMail),
    readFollowLink: (token) => joining.readFollowLink(op, token),
    follow: (token, origin) => joining.follow(op, token, origin),

    changePreferences: (s, values, origin) => changes.changePreferences(op, s, values, origin),
    setPaused: (s, paused, origin) => changes.setPaused(op, s, paused, origin),
    switchedChoices: changes.switchedChoices,
    switchFrequency: (s, to, origin) => changes.switchFrequency(op, s, to, origin),
    unsubscribe: (s, origin) => changes.unsubscribe(op, s, origin),

    add: (input, options) => changes.add(op, input, options),
    update: (s, patch, origin) => changes.update(op, s, patch, origin),
    importRows: (rows, options) => importSubscribers(deps.store, rows, { ...options, now: op.clock().toISOString() }),

    exportData: (s) => exportReader(deps.store, deps.links, s, op.clock()),
    erase: (s, source) => changes.erase(op, s, source),
    remove: async (raw) => {
      const email = storedForm(raw);
      return (await deps.store.subscribers.remove(email)) ? email : undefined;
    },
  };
}
