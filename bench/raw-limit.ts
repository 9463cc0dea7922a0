import { sql } from 'kysely';
import type { App } from '../src/main.js';
import { newMessageId } from '../src/deliver/headers.js';
import type { OutgoingMessage } from '../src/deliver/mailer.js';
import { createSmtpMailer } from '../src/deliver/nodemailer-mailer.js';
import { compilePersonaliser } from '../src/render/personalise.js';
import type { SinkHandle } from './sink-client.js';

/** What {@link measureRawLimit} found. */
export interface RawLimitResult {
  messages: number;
  ms: number;
  messagesPerSecond: number;
  sinkCounted: number;
  bytesPerMessage: number;
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
  const db = app.store.db;
  const popular = await sql<{ edition_key: string }>`
    select edition_key from deliveries where status = 'sent' group by edition_key order by count(*) desc limit ${MAX_BODIES}`.execute(db);
  const bodies = new Map<string, { subject: string; html: string; text: string }>();
  for (const { edition_key } of popular.rows) {
    const e = (await app.store.editions.get(edition_key))!;
    const links = app.links.forSubscriber({ publicId: '0'.repeat(20), signingKey: '0'.repeat(32) });
    bodies.set(edition_key, compilePersonaliser(e)({ name: 'Reader', email: 'reader@bench.example', ...links, viewOnlineUrl: app.links.archiveUrl(edition_key) }));
  }
  const bySize = [...bodies.values()].sort((a, b) => a.html.length - b.html.length);
  const closest = async (key: string) => {
    const e = await app.store.editions.get(key);
    const len = e?.html.length ?? 0;
    return bySize.reduce((best, b) => (Math.abs(b.html.length - len) < Math.abs(best.html.length - len) ? b : best), bySize[0]!);
  };
  const rows = await db
    .selectFrom('deliveries as d')
    .innerJoin('subscribers as s', 's.id', 'd.subscriber_id')
    .select(['d.id', 'd.edition_key', 's.email', 's.name'])
    .where('d.status', '=', 'sent')
    .orderBy('d.id')
    .execute();
  const from = app.config.mail.from;
  const messages: OutgoingMessage[] = [];
  for (const r of rows) {
    let body = bodies.get(r.edition_key!);
    if (!body) bodies.set(r.edition_key!, (body = await closest(r.edition_key!)));
    const { unsubscribeUrl } = app.links.forSubscriber({ publicId: r.id.toString(16).padStart(20, '0'), signingKey: '0'.repeat(32) });
    messages.push({
      to: { address: r.email, name: r.name },
      ...body,
      messageId: newMessageId(from),
      list: { unsubscribeUrl, id: 'bench <digest.example.com>', archiveUrl: app.links.archiveIndexUrl(), helpUrl: app.links.signupUrl() },
      headers: { 'X-Entity-Ref-ID': `${r.edition_key}.${r.id}` },
    });
  }
  return { messages, bodies: Math.min(bySize.length, MAX_BODIES) };
}

/**
 * The raw limit: the full edition's messages, pre-built in memory, pushed through a fresh pooled
 * transporter (`createSmtpMailer`, same settings) by as many workers as the pool has connections.
 * No database, no render, no personalisation inside the timed loop.
 */
export async function measureRawLimit(app: App, sink: SinkHandle, connections: number): Promise<RawLimitResult> {
  const { messages, bodies } = await prebuild(app);
  const mailer = await createSmtpMailer({ from: app.config.mail.from, url: sink.url, maxConnections: connections });
  await mailer.verify();
  const before = await sink.count();
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < messages.length) await mailer.send(messages[next++]!);
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const ms = performance.now() - started;
  await mailer.close();
  const after = await sink.count();
  const counted = after.count - before.count;
  return {
    messages: messages.length,
    ms,
    messagesPerSecond: (messages.length / ms) * 1000,
    sinkCounted: counted,
    bytesPerMessage: counted > 0 ? (after.bytes - before.bytes) / counted : 0,
    prebuiltBodies: bodies,
  };
}
