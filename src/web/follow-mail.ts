import { messageOf } from '../errors.js';
import type { App } from '../main.js';
import type { Subscriber } from '../model/subscriber.js';
import { renderConfirmEmail } from '../render/transactional.js';
import { signFollowToken } from '../security/follow-token.js';

/**
 * The double opt-in for an active reader who used a "Follow" form: the confirmation email, with
 * a link that adds only the new topics. Like the other subscription mail a failure is logged,
 * never shown, so the page answers the same for every address.
 */
export async function sendFollowConfirmEmail(app: App, reader: Subscriber, topics: string[], topicNames: string[], now: Date = new Date()): Promise<boolean> {
  const hours = app.config.confirmTtlHours;
  const token = signFollowToken(app.secretKey, reader.signingKey, { subscriberId: reader.id, topics, expiresAt: Math.floor(now.getTime() / 1000 + hours * 3600) });
  try {
    const parts = await renderConfirmEmail({
      name: reader.name,
      confirmUrl: `${app.config.web.publicUrl}/follow/confirm/${token}`,
      topicNames,
      expiresHours: hours,
      senderName: app.config.mail.senderName,
      senderAddress: app.config.mail.senderAddress,
    });
    await app.mailer.send({ to: { address: reader.email, name: reader.name }, ...parts });
    app.logger.info('sent the follow confirmation email', { subscriber: reader.id });
    return true;
  } catch (err) {
    app.logger.error('could not send the follow confirmation email', { subscriber: reader.id, error: messageOf(err) });
    return false;
  }
}
