import type { FastifyRequest } from 'fastify';
import type { App } from '../main.js';
import { recordConsentEvent, type ConsentEvent } from '../subscriptions/consent.js';
import type { Store } from '../store/store.js';

/** Records consent evidence for a web request: its client IP (truncated unless CONSENT_FULL_IP) and user agent. */
export async function recordConsent(store: Pick<Store, 'consent'>, request: FastifyRequest, app: App, event: Omit<ConsentEvent, 'ip' | 'userAgent'>): Promise<void> {
  await recordConsentEvent(store, { ...event, ip: request.ip, userAgent: request.headers['user-agent'] ?? null }, { fullIp: app.config.consent.fullIp, now: new Date().toISOString() });
}
