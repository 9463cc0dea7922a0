import type { Config } from '../config.js';
import type { Mailer } from './mailer.js';
import { createOutboxMailer, type SenderOptions } from './nodemailer-mailer.js';
import { createThreadedSmtpMailer } from './threaded-mailer.js';

/** Who mail comes from, as configured: From, Reply-To and DKIM signing. */
export function senderOptions(config: Pick<Config, 'mail' | 'dkim'>): SenderOptions {
  return {
    from: config.mail.from,
    ...(config.mail.replyTo ? { replyTo: config.mail.replyTo } : {}),
    ...(config.dkim ? { dkim: config.dkim } : {}),
  };
}

/** Picks the transport from config: pooled SMTP (in its own thread) when SMTP_URL is set, else the .eml outbox. */
export async function createMailer(config: Pick<Config, 'smtp' | 'mail' | 'dkim'>): Promise<Mailer> {
  const sender = senderOptions(config);
  if (config.smtp.url) {
    return createThreadedSmtpMailer({ ...sender, url: config.smtp.url, maxConnections: config.smtp.maxConnections, timeoutSeconds: config.smtp.timeoutSeconds });
  }
  return createOutboxMailer(config.smtp.outboxDir, sender);
}
