import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';
import { createBackgroundDrain } from './background-drain.js';
import type { DeliveryLeases } from '../store/delivery-leases.js';
import type { MailQueueRepository, QueuedMail } from '../store/mail-queue-repository.js';
import { newMessageId } from './headers.js';
import type { Mailer } from './mailer.js';
import { classifySmtpError } from './smtp-failure.js';

/** What the transactional sender depends on. */
export interface MailQueueDeps {
  queue: Pick<MailQueueRepository, 'claimNext' | 'finish' | 'renew' | 'takeOverDeadOwners'>;
  liveness: Pick<DeliveryLeases, 'register' | 'release'>;
  mailer: Mailer;
  logger: Logger;
}

/** How the transactional sender behaves. */
export interface MailQueueOptions {
  fromAddress: string;
  leaseSeconds: number;
  /** Backoff before attempt n+1 is retryBaseMs * 4^(n-1), at most an hour. */
  retryBaseMs?: number;
  /** Attempts after which a transiently failing message is marked failed. */
  maxAttempts?: number;
  /** How often a started sender looks for due messages (retries, other processes' pages). */
  pollMs?: number;
}

/** The transactional sender of one process. */
export interface MailQueueSender {
  /** Drains the queue soon, in the background; the caller never waits on SMTP. */
  kick(): void;
  /** Keeps draining every `pollMs` until {@link stop} (start, serve and worker do this). */
  start(): void;
  /** Resolves once nothing is being drained (tests wait on this after a page enqueues). */
  idle(): Promise<void>;
  /** Stops claiming, finishes the message in flight (bounded by the SMTP timeout). */
  stop(): Promise<void>;
}

/**
 * Sends queued transactional mail with the digest's rules: claimed before SMTP, recorded after;
 * transient failures retried with backoff; a message handed over with no reply left uncertain and
 * never resent; a permanent refusal marked failed.
 */
export function createMailQueueSender(deps: MailQueueDeps, options: MailQueueOptions): MailQueueSender {
  const owner = `mail-${process.pid}-${randomUUID().slice(0, 8)}`;
  const retryBase = options.retryBaseMs ?? 30_000;
  const maxAttempts = options.maxAttempts ?? 8;
  let registered = false;

  /** Sends one message and records the outcome; false when the relay went silent (stop this drain). */
  async function sendOne(mail: QueuedMail, messageId: string): Promise<boolean> {
    const now = new Date();
    try {
      await deps.mailer.send({ to: mail.to, subject: mail.subject, html: mail.html, text: mail.text, messageId, ...(mail.list ? { list: mail.list } : {}) });
      await deps.queue.finish(mail.id, owner, { status: 'sent' }, new Date());
      deps.logger.info(`sent the ${mail.kind} email`, { mail: mail.id });
      return true;
    } catch (err) {
      const f = classifySmtpError(err);
      deps.logger.warn(`could not send the ${mail.kind} email`, { mail: mail.id, kind: f.kind, attempt: mail.attempts, error: f.message });
      if (f.kind === 'uncertain') {
        await deps.queue.finish(mail.id, owner, { status: 'uncertain', error: f.message }, now);
      } else if ((f.kind === 'transient' || f.kind === 'fatal') && mail.attempts < maxAttempts) {
        const retryAt = new Date(now.getTime() + Math.min(retryBase * 4 ** (mail.attempts - 1), 3_600_000));
        await deps.queue.finish(mail.id, owner, { status: 'queued', error: f.message, retryAt }, now);
      } else {
        await deps.queue.finish(mail.id, owner, { status: 'failed', error: f.message }, now);
      }
      return !f.silent;
    }
  }

  const loop = createBackgroundDrain(drain, { logger: deps.logger, failure: 'the transactional mail queue could not be drained', pollMs: options.pollMs ?? 5_000 });

  async function drain(): Promise<void> {
    if (!registered) {
      deps.liveness.register(owner);
      registered = true;
    }
    const heartbeat = setInterval(() => void deps.queue.renew(owner, options.leaseSeconds, new Date()).catch(() => undefined), (options.leaseSeconds * 1000) / 3);
    heartbeat.unref();
    try {
      const doubtful = await deps.queue.takeOverDeadOwners(owner, new Date());
      if (doubtful > 0) deps.logger.warn('transactional emails left uncertain by a sender that is gone', { uncertain: doubtful });
      while (!loop.stopped) {
        const messageId = newMessageId(options.fromAddress);
        const mail = await deps.queue.claimNext(owner, messageId, options.leaseSeconds, new Date());
        if (!mail || !(await sendOne(mail, messageId))) break;
      }
    } finally {
      clearInterval(heartbeat);
    }
  }

  return {
    kick: loop.kick,
    start: loop.start,
    idle: loop.idle,
    stop: async () => {
      await loop.stop();
      if (registered) {
        registered = false; // stop() may be called again (app.close twice); release once
        await deps.liveness.release(owner);
      }
    },
  };
}
