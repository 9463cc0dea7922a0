import type { Config } from '../config.js';
import type { ListHeaders, OutgoingMessage } from '../deliver/mailer.js';
import { messageOf } from '../errors.js';
import type { Logger } from '../logger.js';
import { digestSettings } from '../pipeline/digest-settings.js';
import { cadenceWords, digestName } from '../plan/cadence.js';
import { firstDigestLabel } from '../plan/first-digest.js';
import type { MessageParts } from '../model/edition.js';
import type { Subscriber } from '../model/subscriber.js';
import { renderAlreadySubscribedEmail, renderConfirmEmail, renderWelcomeEmail } from '../render/transactional.js';
import { signFollowToken } from '../security/follow-token.js';
import type { LinkBuilder } from '../security/subscriber-links.js';

/**
 * The emails the subscription service sends. They are rendered here and queued in the store;
 * the sender delivers them in the background, so a stalled relay never holds a page. A failure
 * to queue is logged and reported as `false`, never thrown: the pages must answer the same way
 * whatever happened, so a visitor cannot learn an address's state from an error.
 */

/** A reader as the emails need them; their frequency names the edition they signed up for. */
type Reader = Pick<Subscriber, 'id' | 'publicId' | 'email' | 'name' | 'signingKey' | 'frequency' | 'weekday'>;

/** What the subscription emails need: the config, signed links, the key, a log, and the mail queue. */
export interface SubscriptionMailDeps {
  config: Config;
  links: LinkBuilder;
  secretKey: string;
  logger: Logger;
  /** Stores one email for the background sender (App.mailQueue.enqueue); never waits on SMTP. */
  enqueue(kind: string, message: Pick<OutgoingMessage, 'to' | 'subject' | 'html' | 'text' | 'list'>): Promise<void>;
}

async function deliver(app: SubscriptionMailDeps, kind: string, reader: Reader, render: () => Promise<MessageParts>, list?: ListHeaders): Promise<boolean> {
  try {
    const parts = await render();
    await app.enqueue(kind, { to: { address: reader.email, name: reader.name }, ...parts, ...(list ? { list } : {}) });
    app.logger.info(`queued the ${kind} email`, { subscriber: reader.id });
    return true;
  } catch (err) {
    app.logger.error(`could not queue the ${kind} email`, { subscriber: reader.id, error: messageOf(err) });
    return false;
  }
}

function sender(app: SubscriptionMailDeps): { senderName: string; senderAddress: string } {
  return { senderName: app.config.mail.senderName, senderAddress: app.config.mail.senderAddress };
}

/** Sends the double opt-in email with a link that expires after CONFIRM_TTL_HOURS. */
export function sendConfirmEmail(app: SubscriptionMailDeps, reader: Reader, topicNames: string[], now: Date = new Date()): Promise<boolean> {
  const hours = app.config.confirmTtlHours;
  return deliver(app, 'confirmation', reader, () =>
    renderConfirmEmail({ name: reader.name, confirmUrl: app.links.confirmUrl(reader, hours, now), topicNames, expiresHours: hours, digestName: digestName(reader.frequency), ...sender(app) }),
  );
}

/**
 * Sends the welcome email after a confirmation: when the first digest comes in the reader's own
 * zone, the archive, and the same List-Unsubscribe headers a digest carries (it is list mail).
 */
export function sendWelcomeEmail(app: SubscriptionMailDeps, reader: Reader & Pick<Subscriber, 'timezone'> & Partial<Pick<Subscriber, 'sendTime'>>, topicNames: string[], now: Date = new Date()): Promise<boolean> {
  const links = app.links.forSubscriber(reader);
  const { timezone: defaultZone, catchupHours } = app.config.digest;
  const sendTime = reader.sendTime ?? app.config.digest.sendTime;
  const timezone = reader.timezone ?? defaultZone;
  const settings = digestSettings(app.config);
  const list: ListHeaders = { unsubscribeUrl: links.unsubscribeUrl, id: settings.listId, archiveUrl: app.links.archiveIndexUrl(), helpUrl: app.links.signupUrl(), ...(settings.unsubscribeMailto ? { unsubscribeMailto: settings.unsubscribeMailto } : {}) };
  return deliver(
    app,
    'welcome',
    reader,
    () =>
      renderWelcomeEmail({
        name: reader.name,
        topicNames,
        firstDigest: firstDigestLabel(now, sendTime, timezone, catchupHours, reader),
        sendTime,
        timezone,
        digestName: digestName(reader.frequency),
        cadence: cadenceWords(reader),
        archiveUrl: app.links.archiveIndexUrl(),
        fromAddress: settings.fromAddress.match(/<([^>]+)>/)?.[1] ?? settings.fromAddress,
        ...links,
        ...sender(app),
      }),
    list,
  );
}

/** Tells an active reader who signed up again where to manage their topics. */
export function sendAlreadySubscribedEmail(app: SubscriptionMailDeps, reader: Reader): Promise<boolean> {
  const { preferencesUrl } = app.links.forSubscriber(reader);
  return deliver(app, 'already-subscribed', reader, () => renderAlreadySubscribedEmail({ name: reader.name, preferencesUrl, ...sender(app) }));
}

/**
 * The double opt-in for an active reader who used a "Follow" form: the confirmation email, with a
 * link that adds only the new topics (the reader's other topics stay until they press the button).
 */
export function sendFollowConfirmEmail(app: SubscriptionMailDeps, reader: Reader, topics: string[], topicNames: string[], now: Date = new Date()): Promise<boolean> {
  const hours = app.config.confirmTtlHours;
  const token = signFollowToken(app.secretKey, reader.signingKey, { publicId: reader.publicId, topics, expiresAt: Math.floor(now.getTime() / 1000 + hours * 3600) });
  const confirmUrl = `${app.config.web.publicUrl}/follow/confirm/${token}`;
  return deliver(app, 'follow-confirmation', reader, () => renderConfirmEmail({ name: reader.name, confirmUrl, topicNames, expiresHours: hours, digestName: digestName(reader.frequency), ...sender(app) }));
}
