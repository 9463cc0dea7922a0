import type { App } from '../src/main.js';
import { newMessageId } from '../src/deliver/headers.js';
import type { OutgoingMessage } from '../src/deliver/mailer.js';
import { createSmtpMailer } from '../src/deliver/nodemailer-mailer.js';
import { compilePersonaliser } from '../src/render/personalise.js';
import { replayThroughPool, type ReplayResult } from './pool-replay.js';
import type { SinkHandle } from './sink-client.js';

/** What {@link measureBuiltRaw} found. */
export interface BuiltRawResult extends ReplayResult {
  /** Distinct message bodies held in memory (each reused for many recipients). */
  prebuiltBodies: number;
}

/** At most this many distinct bodies are held; the rest reuse the body closest in size. */
const MAX_BODIES = 512;

/**
 * Builds one message per delivery the full edition sent, in the same order and with bodies of
 * the same editions (personalised once per edition), so sizes match. Bodies are shared strings:
 * the whole batch costs a few MB, not one copy per message.
 */
async function prebuild(app: App): Promise<{ messages: OutgoingMessage[]; bodies: number }> {
  const bodies = new Map<string, { subject: string; html: string; text: string }>();
  for (const key of await app.store.deliveries.sentEditionKeys(MAX_BODIES)) {
    const e = (await app.store.editions.get(key))!;
    const links = app.links.forSubscriber({ publicId: '0'.repeat(20), signingKey: '0'.repeat(32) });
    bodies.set(key, compilePersonaliser(e)({ name: 'Reader', email: 'reader@bench.example', ...links, viewOnlineUrl: app.links.archiveUrl(key) }));
  }
  const bySize = [...bodies.values()].sort((a, b) => a.html.length - b.html.length);
  const closest = async (key: string) => {
    const e = await app.store.editions.get(key);
    const len = e?.html.length ?? 0;
    return bySize.reduce((best, b) => (Math.abs(b.html.length - len) < Math.abs(best.html.length - len) ? b : best), bySize[0]!);
  };
  const rows = await app.store.deliveries.sentWithReaders();
  const from = app.config.mail.from;
  const messages: OutgoingMessage[] = [];
  for (const r of rows) {
    let body = bodies.get(r.editionKey);
    if (!body) bodies.set(r.editionKey, (body = await closest(r.editionKey)));
    const { unsubscribeUrl } = app.links.forSubscriber({ publicId: r.id.toString(16).padStart(20, '0'), signingKey: '0'.repeat(32) });
    messages.push({
      to: { address: r.email, name: r.name },
      ...body,
      messageId: newMessageId(from),
      list: { unsubscribeUrl, id: 'bench <digest.example.com>', archiveUrl: app.links.archiveIndexUrl(), helpUrl: app.links.signupUrl() },
      headers: { 'X-Entity-Ref-ID': `${r.editionKey}.${r.id}` },
    });
  }
  return { messages, bodies: Math.min(bySize.length, MAX_BODIES) };
}

/**
 * "Built raw" (formerly the raw limit): the full edition's messages, pre-built in memory as
 * message objects, pushed through a fresh pooled transporter (`createSmtpMailer`, same settings)
 * by as many workers as the pool has connections, so nodemailer builds each MIME message. No
 * database, no render, no personalisation inside the timed loop.
 */
export async function measureBuiltRaw(app: App, sink: SinkHandle, connections: number): Promise<BuiltRawResult> {
  const { messages, bodies } = await prebuild(app);
  const mailer = await createSmtpMailer({ from: app.config.mail.from, url: sink.url, maxConnections: connections });
  await mailer.verify();
  const replay = await replayThroughPool(sink, connections, messages.length, (i) => mailer.send(messages[i]!));
  await mailer.close();
  return {
    ...replay,
    prebuiltBodies: bodies,
  };
}
