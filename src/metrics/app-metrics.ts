import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { readStoreGauges } from '../store/metrics-queries.js';
import type { Store } from '../store/store.js';

/**
 * The Prometheus metrics of one app. Each app has its own Registry (never prom-client's global
 * one): tests build many apps in one process, and two registrations of a name would throw.
 * Counters and histograms are observed in-process; the gauges that describe the ledger and the
 * queues are read from the store at scrape time, so every process reports the shared truth.
 */
export interface AppMetrics {
  readonly registry: Registry;
  /** How long one SMTP hand-over took. */
  observeSmtpLatency(seconds: number): void;
  /** How long one digest run (plan, render, send) took. */
  observeSendRun(seconds: number): void;
  /** One HTTP response, by route pattern (never the raw URL, which carries tokens). */
  countRequest(method: string, route: string, status: number): void;
  /** Reads the store gauges and renders the exposition text. */
  scrape(): Promise<string>;
}

/** Builds the metrics for one app over its store. */
export function createAppMetrics(store: Store, now: () => Date = () => new Date()): AppMetrics {
  const registry = new Registry();
  const registers = [registry];
  const deliveries = new Gauge({ name: 'topic_digest_deliveries', help: 'Ledger rows by status.', labelNames: ['status'], registers });
  const queueDepth = new Gauge({ name: 'topic_digest_queue_depth', help: 'Work waiting: planned digests, transactional mail, webhook deliveries.', labelNames: ['queue'], registers });
  const sourceSuccess = new Gauge({ name: 'topic_digest_source_last_success_timestamp_seconds', help: 'When each source was last polled successfully (0: never).', labelNames: ['source'], registers });
  const bounces = new Gauge({ name: 'topic_digest_bounces', help: 'Deliveries reported bounced, by type (rows still in the ledger).', labelNames: ['type'], registers });
  const complaints = new Gauge({ name: 'topic_digest_complaints', help: 'Deliveries reported as spam (rows still in the ledger).', registers });
  const smtpLatency = new Histogram({ name: 'topic_digest_smtp_latency_seconds', help: 'Time to hand one message to SMTP.', buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers });
  const sendRun = new Histogram({ name: 'topic_digest_send_duration_seconds', help: 'Duration of one digest run.', buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600], registers });
  const requests = new Counter({ name: 'topic_digest_http_requests_total', help: 'HTTP responses by route pattern and status.', labelNames: ['method', 'route', 'status'], registers });

  return {
    registry,
    observeSmtpLatency: (s) => smtpLatency.observe(s),
    observeSendRun: (s) => sendRun.observe(s),
    countRequest: (method, route, status) => requests.inc({ method, route, status: String(status) }),
    async scrape() {
      const g = await readStoreGauges(store, now());
      for (const [status, n] of Object.entries(g.deliveries)) deliveries.set({ status }, n);
      queueDepth.set({ queue: 'planned' }, g.deliveries.planned);
      queueDepth.set({ queue: 'transactional' }, g.mailQueueDepth);
      queueDepth.set({ queue: 'webhook' }, g.webhookQueueDepth);
      // Reset first: a removed source must not linger in the output.
      sourceSuccess.reset();
      for (const s of g.sources) sourceSuccess.set({ source: s.url }, s.lastSuccessAt ? Date.parse(s.lastSuccessAt) / 1000 : 0);
      bounces.set({ type: 'hard' }, g.bounces.hard);
      bounces.set({ type: 'soft' }, g.bounces.soft);
      complaints.set(g.complaints);
      return registry.metrics();
    },
  };
}
