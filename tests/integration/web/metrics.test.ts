import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { App } from '../../../src/main.js';
import { buildServer } from '../../../src/web/server.js';
import { digestApp } from '../../helpers/digest-app.js';
import { seedWorld } from '../../helpers/digest-world.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink.js';

/** GET /metrics: off without METRICS_TOKEN, 401 without the bearer token, and real numbers after a real send. */

const TOKEN = 'metrics-token-0123456789abcdef';
const DAY = new Date('2026-11-27T08:00:00Z');

let sink: SmtpSink;
let app: App;
let server: FastifyInstance;
beforeEach(async () => {
  sink = await startSmtpSink();
  app = await digestApp({ SMTP_URL: sink.url, METRICS_TOKEN: TOKEN, SEED_SAMPLE_DATA: 'false' });
  server = await buildServer(app);
});
afterEach(async () => {
  await server.close();
  await app.close();
  await sink.close();
});

const scrape = (auth?: string) => server.inject({ method: 'GET', url: '/metrics', headers: auth ? { authorization: auth } : {} });

describe('GET /metrics', () => {
  it('refuses a missing, wrong or differently sized token with 401', async () => {
    expect((await scrape()).statusCode).toBe(401);
    expect((await scrape(`Bearer ${TOKEN}x`)).statusCode).toBe(401);
    expect((await scrape('Bearer short')).statusCode).toBe(401);
    expect((await scrape(`Basic ${TOKEN}`)).statusCode).toBe(401);
    expect((await scrape(`Bearer ${TOKEN}`)).statusCode).toBe(200);
  });

  it('after a small real send, reports deliveries, latency, queues, sources and requests', async () => {
    await seedWorld(app, DAY, {
      articles: [{ title: 'Harbour reopens', topics: ['world'], minutesAgo: 60 }],
      readers: [{ email: 'ann@example.com', topics: ['world'] }, { email: 'bob@example.com', topics: ['world'] }],
    });
    await app.store.sources.add({ url: 'https://feeds.example/world.xml', name: null, topics: ['world'], everySeconds: 900 }, DAY.toISOString());
    const polled = (await app.store.sources.add({ url: 'https://feeds.example/tech.xml', name: null, topics: ['tech'], everySeconds: 900 }, DAY.toISOString()))!;
    await app.store.sources.recordPoll(polled.id, { fetchedAt: DAY.toISOString(), status: '200', error: null, nextDueAt: DAY.toISOString(), failures: 0 });
    // A later failure keeps the last success.
    await app.store.sources.recordPoll(polled.id, { fetchedAt: new Date(DAY.getTime() + 60_000).toISOString(), status: '500', error: 'down', nextDueAt: DAY.toISOString(), failures: 1 });
    expect(await app.runDigest({ now: DAY, force: true })).toMatchObject({ sent: 2 });
    expect(sink.messages).toHaveLength(2);
    await server.inject({ method: 'GET', url: '/healthz' });
    await server.inject({ method: 'GET', url: '/unsubscribe/some-secret-token' });

    const r = await scrape(`Bearer ${TOKEN}`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = r.body;
    expect(text).toMatch(/^topic_digest_deliveries\{status="sent"\} 2$/m);
    expect(text).toMatch(/^topic_digest_deliveries\{status="planned"\} 0$/m);
    expect(text).toMatch(/^topic_digest_smtp_latency_seconds_count 2$/m);
    expect(text).toMatch(/^topic_digest_send_duration_seconds_count 1$/m);
    expect(text).toMatch(/^topic_digest_queue_depth\{queue="transactional"\} 0$/m);
    expect(text).toMatch(/^topic_digest_queue_depth\{queue="webhook"\} 0$/m);
    expect(text).toMatch(/^topic_digest_source_last_success_timestamp_seconds\{source="https:\/\/feeds\.example\/world\.xml"\} 0$/m);
    expect(text).toMatch(new RegExp(`^topic_digest_source_last_success_timestamp_seconds\\{source="https://feeds\\.example/tech\\.xml"\\} ${DAY.getTime() / 1000}$`, 'm'));
    expect(text).toMatch(/^topic_digest_bounces\{type="hard"\} 0$/m);
    expect(text).toMatch(/^topic_digest_complaints 0$/m);
    expect(text).toMatch(/^topic_digest_http_requests_total\{method="GET",route="\/healthz",status="200"\} 1$/m);
    // The route pattern, never the token in the URL.
    expect(text).toContain('route="/unsubscribe/:token"');
    expect(text).not.toContain('some-secret-token');
  });
});

describe('GET /metrics without METRICS_TOKEN', () => {
  it('does not exist', async () => {
    const off = await digestApp({ SEED_SAMPLE_DATA: 'false' });
    const s = await buildServer(off);
    try {
      expect((await s.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } })).statusCode).toBe(404);
    } finally {
      await s.close();
      await off.close();
    }
  });
});
