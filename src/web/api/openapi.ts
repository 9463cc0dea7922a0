import { z } from 'zod';
import { articleInputSchema } from '../../ingest/json-articles.js';
import { API_SCOPES } from '../../security/api-scopes.js';
import { adminComponentSchemas, adminPaths } from './openapi-admin.js';

/**
 * The push API's OpenAPI 3.1 document, generated from the same zod schema that validates pushes
 * and `articles import` files, so the contract cannot drift from the code.
 */
export function openApiDocument(publicUrl: string, limits: { maxBodyBytes: number; ratePerMinute: number }): object {
  const article = z.toJSONSchema(articleInputSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
  const error = {
    type: 'object',
    properties: { errors: { type: 'array', items: { type: 'object', properties: { index: { type: ['integer', 'null'] }, field: { type: 'string' }, message: { type: 'string' } }, required: ['index', 'field', 'message'] } } },
  };
  const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Errors' } } } });
  return {
    openapi: '3.1.0',
    info: { title: 'topic-digest API', version: '1' },
    servers: [{ url: `${publicUrl}/api/v1` }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: `Create with \`topic-digest api-tokens create --name cms\`. Scopes: ${Object.entries(API_SCOPES).map(([k, v]) => `${k} (${v})`).join('; ')}.` } },
      schemas: { Article: article, Errors: error, ...adminComponentSchemas() },
    },
    security: [{ bearer: [] }],
    paths: {
      ...adminPaths(errorResponse),
      '/articles': {
        post: {
          summary: 'Create or update stories (idempotent by guid, else URL); all or none',
          description: `Scope articles:write. Body up to ${limits.maxBodyBytes} bytes; ${limits.ratePerMinute} requests per minute per token.`,
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  oneOf: [
                    { $ref: '#/components/schemas/Article' },
                    { type: 'array', items: { $ref: '#/components/schemas/Article' } },
                    { type: 'object', properties: { articles: { type: 'array', items: { $ref: '#/components/schemas/Article' } } }, required: ['articles'] },
                  ],
                },
              },
            },
          },
          responses: {
            200: {
              description: 'Stored',
              content: { 'application/json': { schema: { type: 'object', properties: { inserted: { type: 'integer' }, updated: { type: 'integer' }, ids: { type: 'array', items: { type: 'integer' } } } } } },
            },
            400: errorResponse('Invalid items; nothing was stored'),
            401: errorResponse('Missing or unknown token'),
            403: errorResponse('Token lacks the articles:write scope'),
            413: errorResponse('Body over the size limit'),
            429: errorResponse('Rate limit; see Retry-After'),
          },
        },
      },
      '/articles/{id}': {
        delete: {
          summary: 'Withdraw a story: it never goes into a digest that has not gone out yet',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
          responses: { 200: { description: 'Withdrawn' }, 401: errorResponse('Missing or unknown token'), 403: errorResponse('Token lacks the scope'), 404: errorResponse('No such story') },
        },
      },
    },
  };
}
