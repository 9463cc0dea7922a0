import type { Config } from '../config.js';
import type { Mailer } from './mailer.js';
import { createOutboxMailer, createSmtpMailer } from './nodemailer-mailer.js';

/** Picks the transport from config: pooled SMTP when SMTP_URL is set, else the .eml outbox. */
export async function createMailer(config: Pick<Config, 'smtp' | 'mail' | 'dkim'>): Promise<Mailer> {
  const sender = {
    from: config.mail.from,
    ...(config.mail.replyTo ? { replyTo: config.mail.replyTo } : {}),
    ...(config.dkim ? { dkim: config.dkim } : {}),
  };
  if (config.smtp.url) {
    return createSmtpMailer({ ...sender, url: config.smtp.url, maxConnections: config.smtp.maxConnections, ratePerSecond: config.smtp.ratePerSecond });
  }
  return createOutboxMailer(config.smtp.outboxDir, sender);
}
