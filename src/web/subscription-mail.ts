import { messageOf } from '../errors.js';
import type { App } from '../main.js';
import type { MessageParts } from '../model/edition.js';
import type { Subscriber } from '../model/subscriber.js';
import { renderAlreadySubscribedEmail, renderConfirmEmail, renderWelcomeEmail } from '../render/transactional.js';

/**
 * The three emails the subscription pages send. They are rendered here and queued in the store;
 * the sender delivers them in the background, so a stalled relay never holds a page. A failure
 * to queue is logged and reported as `false`, never thrown: the pages must answer the same way
 * whatever happened, so a visitor cannot learn an address's state from an error.
 */

type Reader = Pick<Subscriber, 'id' | 'publicId' | 'email' | 'name' | 'signingKey'>;

async function deliver(app: App, kind: string, reader: Reader, render: () => Promise<MessageParts>): Promise<boolean> {
  try {
    const parts = await render();
    await app.mailQueue.enqueue(kind, { to: { address: reader.email, name: reader.name }, ...parts });
    app.logger.info(`queued the ${kind} email`, { subscriber: reader.id });
    return true;
  } catch (err) {
    app.logger.error(`could not queue the ${kind} email`, { subscriber: reader.id, error: messageOf(err) });
    return false;
  }
}

function sender(app: App): { senderName: string; senderAddress: string } {
  return { senderName: app.config.mail.senderName, senderAddress: app.config.mail.senderAddress };
}

/** Sends the double opt-in email with a link that expires after CONFIRM_TTL_HOURS. */
export function sendConfirmEmail(app: App, reader: Reader, topicNames: string[], now: Date = new Date()): Promise<boolean> {
  const hours = app.config.confirmTtlHours;
  return deliver(app, 'confirmation', reader, () =>
    renderConfirmEmail({ name: reader.name, confirmUrl: app.links.confirmUrl(reader, hours, now), topicNames, expiresHours: hours, ...sender(app) }),
  );
}

/** Sends the welcome email after a confirmation. */
export function sendWelcomeEmail(app: App, reader: Reader, topicNames: string[]): Promise<boolean> {
  const links = app.links.forSubscriber(reader);
  return deliver(app, 'welcome', reader, () =>
    renderWelcomeEmail({ name: reader.name, topicNames, sendTime: app.config.digest.sendTime, ...links, ...sender(app) }),
  );
}

/** Tells an active reader who signed up again where to manage their topics. */
export function sendAlreadySubscribedEmail(app: App, reader: Reader): Promise<boolean> {
  const { preferencesUrl } = app.links.forSubscriber(reader);
  return deliver(app, 'already-subscribed', reader, () => renderAlreadySubscribedEmail({ name: reader.name, preferencesUrl, ...sender(app) }));
}
