import { ImapFlow } from 'imapflow';
import { AppError, messageOf } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import { processFeedbackMessage } from './process-message.js';
import type { FeedbackRules } from './record-feedback.js';
import { createRateWatch } from './stats.js';

/** Marks a message read by a poller that could not move it (so it is not read again). */
const DONE_KEYWORD = '$TopicDigestDone';
/** Marks a message that could not be read, so each poll reports it once, not forever. */
const UNREADABLE_KEYWORD = '$TopicDigestUnreadable';
/** Bounce reports are small; a huge message in the bounce box is not one, and is left alone. */
const MAX_MESSAGE_BYTES = 25 * 1024 * 1024;

/** Where the poller reads and what it does with read messages. */
export interface MailboxSettings {
  /** imap(s)://user:password@host[:port]/MAILBOX */
  url: string;
  /** Folder processed messages are moved to (created when missing). */
  doneFolder: string;
  /** Larger messages are left as unreadable (default 25 MB). */
  maxMessageBytes?: number;
}

/** What one poll did. */
export interface PollResult {
  read: number;
  moved: number;
  flagged: number;
  unreadable: number;
  /** Set when the store failed: the rest of the mailbox waits for the next poll. */
  stoppedBecause?: string;
}

/** The mailbox URL without its password, for logs and errors. */
export function describeMailbox(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.username ? `${decodeURIComponent(u.username)}@` : ''}${u.host}${u.pathname}`;
}

function connectionOptions(url: string) {
  const u = new URL(url);
  const secure = u.protocol === 'imaps:';
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 993 : 143,
    secure,
    auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) },
    logger: false as const,
    // A plain imap:// URL means the operator chose no TLS (e.g. a local Dovecot); do not upgrade behind their back.
    doSTARTTLS: secure ? undefined : false,
    mailbox: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'INBOX',
  };
}

/**
 * Reads every new message in the bounce mailbox once and records it. A read message is moved to
 * the done folder, or, when it cannot be moved, flagged (\Seen, \Flagged and a keyword the next
 * poll skips). A message that cannot be fetched is left in place, marked, and reported. When the
 * store fails, the message stays untouched and the poll stops, so nothing is lost.
 */
export async function pollMailbox(store: Store, rules: FeedbackRules, settings: MailboxSettings, logger: Logger): Promise<PollResult> {
  const { mailbox, ...options } = connectionOptions(settings.url);
  const where = describeMailbox(settings.url);
  const client = new ImapFlow(options);
  client.on('error', (err: unknown) => logger.warn('bounce mailbox connection error', { mailbox: where, error: messageOf(err) }));
  try {
    await client.connect();
  } catch (cause) {
    throw new AppError('INPUT_UNREADABLE', `cannot log in to the bounce mailbox ${where}: ${imapReason(cause)}`, {
      hint: 'check BOUNCE_IMAP_URL (user, password, host, port; imaps:// for TLS)',
    });
  }
  const result: PollResult = { read: 0, moved: 0, flagged: 0, unreadable: 0 };
  try {
    const canMove = await ensureFolder(client, settings.doneFolder, logger);
    const lock = await client.getMailboxLock(mailbox);
    try {
      const uids = ((await client.search({ unKeyword: DONE_KEYWORD }, { uid: true })) || []).sort((a, b) => a - b);
      const known = uids.length === 0 ? [] : await client.fetchAll(uids.join(','), { uid: true, flags: true, size: true }, { uid: true });
      for (const m of known) {
        if (m.flags?.has(UNREADABLE_KEYWORD)) continue;
        const limits = { doneFolder: canMove ? settings.doneFolder : undefined, maxBytes: settings.maxMessageBytes ?? MAX_MESSAGE_BYTES };
        const outcome = await handleOne(client, store, rules, m.uid, m.size ?? 0, logger, limits);
        if (outcome === 'store-failed') {
          result.stoppedBecause = `the store failed on message uid ${m.uid}; it stays in ${mailbox} for the next poll`;
          break;
        }
        result[outcome]++;
        if (outcome !== 'unreadable') result.read++;
      }
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
  return result;
}

async function handleOne(
  client: ImapFlow,
  store: Store,
  rules: FeedbackRules,
  uid: number,
  size: number,
  logger: Logger,
  { doneFolder, maxBytes }: { doneFolder: string | undefined; maxBytes: number },
): Promise<'moved' | 'flagged' | 'unreadable' | 'store-failed'> {
  let raw: Buffer;
  try {
    if (size > maxBytes) throw new Error(`${size} bytes is more than a bounce report can be (${maxBytes})`);
    raw = await download(client, uid);
  } catch (err) {
    logger.warn('could not read a message in the bounce mailbox; left in place', { uid, error: messageOf(err) });
    await client.messageFlagsAdd(String(uid), [UNREADABLE_KEYWORD], { uid: true }).catch(() => undefined);
    return 'unreadable';
  }
  try {
    await processFeedbackMessage(store, rules, raw, 'imap', logger);
  } catch (err) {
    logger.error('could not store a bounce report; the message stays in the mailbox', { uid, error: messageOf(err) });
    return 'store-failed';
  }
  if (doneFolder && (await client.messageMove(String(uid), doneFolder, { uid: true }).catch(() => false))) return 'moved';
  await client.messageFlagsAdd(String(uid), ['\\Seen', '\\Flagged', DONE_KEYWORD], { uid: true });
  return 'flagged';
}

async function download(client: ImapFlow, uid: number): Promise<Buffer> {
  const d = await client.download(String(uid), undefined, { uid: true });
  if (!d || !('content' in d) || !d.content) throw new Error('the server returned no content');
  const chunks: Buffer[] = [];
  for await (const c of d.content) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Creates the done folder if needed; false when it cannot exist (then messages are flagged). */
async function ensureFolder(client: ImapFlow, folder: string, logger: Logger): Promise<boolean> {
  const list = await client.list();
  if (list.some((m) => m.path === folder)) return true;
  try {
    await client.mailboxCreate(folder);
    return true;
  } catch (err) {
    logger.warn('cannot create the folder for processed bounces; flagging them instead', { folder, error: imapReason(err) });
    return false;
  }
}

function imapReason(err: unknown): string {
  const e = err as { responseText?: string; code?: string; authenticationFailed?: boolean };
  if (e?.authenticationFailed) return 'authentication failed';
  return e?.responseText ?? e?.code ?? messageOf(err);
}

/** A running poller: polls every `pollSeconds`, never two at once. */
export interface FeedbackPoller {
  /** Runs one poll now (also what the timer does). */
  pollNow(): Promise<PollResult | undefined>;
  stop(): Promise<void>;
}

/** Starts polling the bounce mailbox in the background; failures are logged, never thrown. */
export function startFeedbackPoller(store: Store, rules: FeedbackRules, settings: MailboxSettings & { pollSeconds: number }, logger: Logger): FeedbackPoller {
  let running: Promise<PollResult | undefined> | undefined;
  const watchRates = createRateWatch(store.feedback, logger);
  const pollNow = () =>
    (running ??= pollMailbox(store, rules, settings, logger)
      .then(async (r) => {
        if (r.read > 0 || r.unreadable > 0) logger.info('bounce mailbox polled', { mailbox: describeMailbox(settings.url), ...r });
        if (r.read > 0) await watchRates();
        if (r.stoppedBecause) logger.warn('bounce mailbox poll stopped early', { reason: r.stoppedBecause });
        return r;
      })
      .catch((err: unknown) => {
        logger.error('bounce mailbox poll failed', { error: messageOf(err) });
        return undefined;
      })
      .finally(() => (running = undefined)));
  const timer = setInterval(() => void pollNow(), settings.pollSeconds * 1000);
  timer.unref();
  void pollNow();
  return {
    pollNow,
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
