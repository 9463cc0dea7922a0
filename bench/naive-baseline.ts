import { createElement } from 'react';
import { render, toPlainText } from '@react-email/render';
import { DigestTemplate } from '../emails/_templates/DigestTemplate.js';
import { tokens } from '../src/render/personal-tokens.js';
import type { App } from '../src/main.js';
import { createSmtpMailer } from '../src/deliver/nodemailer-mailer.js';
import { buildSections } from '../src/plan/sections.js';
import { compilePersonaliser } from '../src/render/personalise.js';
import type { SinkHandle } from './sink-client.js';

/** What {@link measureNaiveBaseline} found. */
export interface NaiveBaselineResult {
  /** Readers in the sample (messages sent). */
  sample: number;
  ms: number;
  messagesPerSecond: number;
  renders: number;
  sinkCounted: number;
  bytesPerMessage: number;
}

/**
 * What a hand-written script does: load the readers and the day's articles, then for each reader
 * build their sections, render the digest template with @react-email/render, derive the text part with
 * `toPlainText`, fill in their links and send. It is the conservative (fast) version of that
 * script: one pooled transporter (`createSmtpMailer`, same pool size as the full edition) and up
 * to `connections` sends in flight while the next reader renders. No ledger, no exactly-once.
 *
 * With `inFlight: 1` it is the literal loop instead (`await render(); await sendMail()`), which
 * also waits out every SMTP round trip.
 *
 * It runs on the first `sample` readers (at least 2,000 in a real run) and is compared per message.
 */
export async function measureNaiveBaseline(
  app: App,
  sink: SinkHandle,
  options: { sample: number; now: Date; connections: number; /** Sends in flight at once; 1 awaits each send before the next render (the literal loop). */ inFlight?: number },
): Promise<NaiveBaselineResult> {
  const inFlightLimit = options.inFlight ?? options.connections;
  const { config, store, links } = app;
  const mailer = await createSmtpMailer({ from: config.mail.from, url: sink.url, maxConnections: options.connections });
  await mailer.verify();
  const before = await sink.count();
  const localDate = options.now.toISOString().slice(0, 10);
  const started = performance.now();

  const lookbackStart = new Date(options.now.getTime() - config.digest.lookbackHours * 3_600_000).toISOString();
  const articles = await store.articles.list({ firstSeenFrom: lookbackStart, firstSeenTo: options.now.toISOString() });
  const topics = await store.topics.list();
  const readers = await store.subscribers.pageActive(0, options.sample);
  const inFlight = new Set<Promise<unknown>>();
  let renders = 0;
  const brand = { senderName: config.mail.senderName, senderAddress: config.mail.senderAddress, color: config.brand.color, logoUrl: null, subscribeUrl: `${config.web.publicUrl}/`, privacyUrl: null, repliesWelcome: false };
  for (const reader of readers) {
    const sections = buildSections(articles, topics.filter((t) => reader.topics.includes(t.slug)), config.digest.maxPerTopic);
    const html = await render(createElement(DigestTemplate, { brand, localDate, sections, personal: tokens }));
    const text = toPlainText(html);
    renders++;
    const subject = `${config.mail.senderName}: ${sections.map((s) => s.topic.name).join(', ')}`;
    const personal = links.forSubscriber(reader);
    const parts = compilePersonaliser({ subject, html, text })({ name: reader.name, email: reader.email, ...personal, viewOnlineUrl: links.archiveIndexUrl() });
    const sending = mailer.send({
      to: { address: reader.email, name: reader.name },
      ...parts,
      list: { unsubscribeUrl: personal.unsubscribeUrl, id: 'bench <digest.example.com>' },
    });
    const tracked: Promise<unknown> = sending.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    if (inFlight.size >= inFlightLimit) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  const ms = performance.now() - started;
  await mailer.close();
  const after = await sink.count();
  const counted = after.count - before.count;
  return {
    sample: readers.length,
    ms,
    messagesPerSecond: (readers.length / ms) * 1000,
    renders,
    sinkCounted: counted,
    bytesPerMessage: counted > 0 ? (after.bytes - before.bytes) / counted : 0,
  };
}
