import { z } from 'zod';
import { adminSchemas, subscriberListQuerySchema } from './admin-schemas.js';

/** A response that is an `Errors` body. */
type ErrorResponse = (description: string) => object;

const ref = (name: keyof typeof adminSchemas) => ({ $ref: `#/components/schemas/${name}` });
const ok = (description: string, schema: object) => ({ description, content: { 'application/json': { schema } } });

/** The admin API's component schemas, generated from the zod schemas the routes validate with. */
export function adminComponentSchemas(): Record<string, object> {
  return Object.fromEntries(Object.entries(adminSchemas).map(([name, schema]) => [name, z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' })]));
}

/** Query parameters from a zod object schema, so the document lists exactly what the route parses. */
function queryParameters(schema: z.ZodObject): object[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as { properties: Record<string, { description?: string }> };
  return Object.entries(json.properties).map(([name, { description, ...rest }]) => ({ name, in: 'query', ...(description ? { description } : {}), schema: rest }));
}

/** The admin API's paths: subscribers, stats and editions, with the scope each needs. */
export function adminPaths(err: ErrorResponse): Record<string, object> {
  const auth = (scope: string) => ({ 401: err('Missing or unknown token'), 403: err(`Token lacks the ${scope} scope`), 429: err('Rate limit; see Retry-After') });
  const id = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'The subscriber’s public id' };
  const page = [
    { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 100 } },
    { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } },
  ];
  const body = (name: keyof typeof adminSchemas) => ({ required: true, content: { 'application/json': { schema: ref(name) } } });
  return {
    '/subscribers': {
      get: {
        summary: 'List subscribers, a page at a time (scope subscribers:read)',
        description: 'Oldest first, by a stable order: follow `next` (or the Link header) until it is null. Filters combine.',
        parameters: queryParameters(subscriberListQuerySchema),
        responses: { 200: ok('One page', ref('SubscriberPage')), 400: err('Bad filter, limit or cursor'), ...auth('subscribers:read') },
      },
      post: {
        summary: 'Add or update one subscriber, as an import of one row (scope subscribers:write)',
        description: 'Active at once, or pending with a confirmation email when doubleOptIn is true. A reader who unsubscribed or bounced is never re-subscribed (409).',
        requestBody: body('SubscriberCreate'),
        responses: { 201: ok('Added', ref('Subscriber')), 200: ok('Updated', ref('Subscriber')), 400: err('Invalid fields'), 409: err('Unsubscribed, bounced or suppressed'), ...auth('subscribers:write') },
      },
    },
    '/subscribers/{id}': {
      get: { summary: 'One subscriber (scope subscribers:read)', parameters: [id], responses: { 200: ok('The subscriber', ref('Subscriber')), 404: err('No such subscriber'), ...auth('subscribers:read') } },
      patch: {
        summary: 'Change a subscriber (scope subscribers:write)',
        parameters: [id],
        requestBody: body('SubscriberPatch'),
        responses: { 200: ok('Changed', ref('Subscriber')), 400: err('Invalid fields'), 404: err('No such subscriber'), 409: err('Unsubscribed or bounced'), ...auth('subscribers:write') },
      },
      delete: { summary: 'Erase a subscriber: profile gone, ledger keeps a hash (scope subscribers:write)', parameters: [id], responses: { 200: { description: 'Erased' }, 404: err('No such subscriber'), ...auth('subscribers:write') } },
    },
    '/subscribers/{id}/export': {
      get: { summary: 'Everything stored about a subscriber, as "download my data" gives it (scope subscribers:read)', parameters: [id], responses: { 200: { description: 'The export' }, 404: err('No such subscriber'), ...auth('subscribers:read') } },
    },
    '/stats': {
      get: {
        summary: 'Per day: sent, bounces, complaints, unsubscribes and rates (scope stats:read)',
        parameters: [{ name: 'days', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 3660, default: 30 } }],
        responses: { 200: ok('Days', { type: 'object', properties: { days: { type: 'array', items: ref('StatsDay') } } }), 400: err('Bad days'), ...auth('stats:read') },
      },
    },
    '/editions': {
      get: { summary: 'Editions that went out, newest first (scope stats:read)', parameters: page, responses: { 200: ok('Editions', { type: 'object', properties: { editions: { type: 'array', items: ref('Edition') } } }), ...auth('stats:read') } },
    },
    '/editions/{key}': {
      get: {
        summary: 'One edition as rendered (scope stats:read)',
        parameters: [{ name: 'key', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { 200: ok('The edition', ref('Edition')), 404: err('No such edition'), ...auth('stats:read') },
      },
    },
  };
}
