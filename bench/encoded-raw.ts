import type { App } from '../src/main.js';
import { newMessageId } from '../src/deliver/headers.js';
import { createThreadedSmtpMailer } from '../src/deliver/threaded-mailer.js';
import { parseMailboxes } from '../src/deliver/mime/header-encoding.js';
import { signedBytes } from '../src/deliver/mime/encoded-sending.js';
import { replayThroughPool, type ReplayResult } from './pool-replay.js';
import type { SinkHandle } from './sink-client.js';

/** What {@link measureEncodedRaw} found. */
export interface EncodedRawResult extends ReplayResult {
  /** Distinct pre-encoded messages held in memory (each sent to many envelope recipients). */
  prebuiltMessages: number;
}

/** At most this many distinct messages are held; the rest reuse the one closest in size. */
const MAX_MESSAGES = 512;

/**
 * "Encoded raw", the true ceiling: the full edition's deliveries, in the same order, as finished
 * bytes (each edition encoded and one reader spliced in, before the timer starts), pushed through
 * a fresh pool of the product's transport with `raw` and an explicit envelope. No database, no
 * render, no splice and no MIME build inside the timed loop: only nodemailer's SMTP client.
 */
export async function measureEncodedRaw(app: App, sink: SinkHandle, connections: number): Promise<EncodedRawResult> {
  const mailer = await createThreadedSmtpMailer({ from: app.config.mail.from, url: sink.url, maxConnections: connections });
  const encoded = mailer.encoded!;
  const from = parseMailboxes(app.config.mail.from)[0]!.address;
  const byEdition = new Map<string, Buffer>();
  // Each held message with its edition's HTML length, to stand in for editions not held.
  const held: { htmlLength: number; raw: Buffer }[] = [];
  for (const key of await app.store.deliveries.sentEditionKeys(MAX_MESSAGES)) {
    const e = (await app.store.editions.get(key))!;
    const links = app.links.forSubscriber({ publicId: '0'.repeat(20), signingKey: '0'.repeat(32) });
    const message = encoded.encodeEdition(e).message({
      to: { address: 'reader@bench.example', name: 'Reader' },
      values: { name: 'Reader', email: 'reader@bench.example', ...links, viewOnlineUrl: app.links.archiveUrl(key) },
      messageId: newMessageId(from),
      date: new Date(),
      list: { unsubscribeUrl: links.unsubscribeUrl, id: 'bench <digest.example.com>', archiveUrl: app.links.archiveIndexUrl(), helpUrl: app.links.signupUrl() },
      headers: { 'X-Entity-Ref-ID': key },
    });
    const raw = signedBytes(message, []);
    byEdition.set(key, raw);
    held.push({ htmlLength: e.html.length, raw });
  }
  const sends: { raw: Buffer; to: string }[] = [];
  for (const r of await app.store.deliveries.sentWithReaders()) {
    let raw = byEdition.get(r.editionKey);
    if (!raw) {
      // The held message whose edition's HTML is closest in length (comparing a whole message's
      // bytes with an HTML length picked smaller messages: 32.2 KB against the full run's 34.3 KB).
      const len = (await app.store.editions.get(r.editionKey))?.html.length ?? 0;
      raw = held.reduce((best, h) => (Math.abs(h.htmlLength - len) < Math.abs(best.htmlLength - len) ? h : best), held[0]!).raw;
      byEdition.set(r.editionKey, raw);
    }
    sends.push({ raw, to: r.email });
  }

  await mailer.verify();
  const replay = await replayThroughPool(sink, connections, sends.length, (i) => encoded.sendRaw(sends[i]!.raw, { from, to: sends[i]!.to }, ''));
  await mailer.close();
  return {
    ...replay,
    prebuiltMessages: held.length,
  };
}
