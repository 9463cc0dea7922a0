import type { FastifyRequest } from 'fastify';
import type { Origin } from '../subscriptions/service.js';

/**
 * The consent record's view of a web request: where it came from (client IP, which the
 * subscription service truncates unless CONSENT_FULL_IP, and user agent) and which page.
 */
export function webOrigin(request: FastifyRequest, source: string, details?: Record<string, unknown>): Origin {
  return { source, ip: request.ip, userAgent: request.headers['user-agent'] ?? null, ...(details ? { details } : {}) };
}
