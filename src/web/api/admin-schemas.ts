import { z } from 'zod';

/**
 * The admin API's request and response shapes, declared once: the routes validate with them and
 * openapi.ts describes them with `z.toJSONSchema`, so the document cannot drift from the code.
 * Field rules (address syntax, topic slugs, timezones, choices) stay in src/subscribers: these
 * schemas check shape only, and the import path checks meaning.
 */

const choices = {
  frequency: z.enum(['daily', 'weekdays', 'weekly']).optional(),
  weekday: z.string().max(20).optional(),
  sendTime: z.string().max(10).optional().describe('HH:MM in the reader’s timezone'),
};

/** POST /subscribers: an import of one reader. */
export const subscriberCreateSchema = z
  .object({
    email: z.string().max(320),
    name: z.string().max(200).optional(),
    timezone: z.string().max(64).optional(),
    topics: z.array(z.string().max(64)).min(1).max(100),
    ...choices,
    doubleOptIn: z.boolean().optional().describe('true: the reader is pending and gets a confirmation email; default: active at once'),
  })
  .strict();

/** PATCH /subscribers/{id}: any of these; omitted fields keep their value. */
export const subscriberPatchSchema = z
  .object({
    name: z.string().max(200).nullable().optional(),
    timezone: z.string().max(64).nullable().optional(),
    topics: z.array(z.string().max(64)).min(1).max(100).optional(),
    ...choices,
    paused: z.boolean().optional(),
    status: z.literal('unsubscribed').optional().describe('unsubscribes the reader; only the reader can come back'),
  })
  .strict();

/** Largest page GET /subscribers serves; 100 when not asked. */
export const SUBSCRIBER_PAGE_MAX = 500;

/**
 * GET /subscribers query: filters and keyset paging. `cursor` is opaque: pass back the `next` of
 * the previous page. Unknown parameters are ignored; `offset` is refused, because silently
 * ignoring it would hand an offset-paging client page 1 for ever.
 */
export const subscriberListQuerySchema = z.object({
  status: z.enum(['pending', 'active', 'unsubscribed', 'bounced']).optional().describe('only readers with this status'),
  topic: z.string().min(1).max(64).optional().describe('only readers following this topic (its slug)'),
  q: z.string().min(1).max(200).optional().describe('part of the address or name, any case'),
  email: z.string().min(1).max(320).optional().describe('exactly this address, any case'),
  limit: z.coerce.number().int().min(1).max(SUBSCRIBER_PAGE_MAX).default(100).describe(`page size, at most ${SUBSCRIBER_PAGE_MAX}`),
  cursor: z.string().max(100).optional().describe('the `next` value of the previous page'),
});

/** A reader as the API returns it; `id` is the public id, never the row number. */
export const subscriberSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  status: z.enum(['pending', 'active', 'unsubscribed', 'bounced']),
  timezone: z.string().nullable(),
  topics: z.array(z.string()),
  paused: z.boolean(),
  frequency: z.string(),
  createdAt: z.string(),
  confirmedAt: z.string().nullable(),
});

/** GET /editions/{key}: a stored edition as rendered (personal fields still as placeholders). */
export const editionSchema = z.object({
  key: z.string(),
  localDate: z.string(),
  topics: z.array(z.string()),
  subject: z.string(),
  html: z.string().optional(),
  text: z.string().optional(),
  articleIds: z.array(z.number()).optional(),
});

/** GET /stats: one row per day. */
export const statsDaySchema = z.object({
  day: z.string(),
  sent: z.number(),
  hardBounces: z.number(),
  softBounces: z.number(),
  complaints: z.number(),
  unsubscribes: z.number(),
  bounceRate: z.number(),
  complaintRate: z.number(),
  warnings: z.array(z.string()),
});

/** GET /subscribers: one page, oldest reader first, and how to get the next. */
export const subscriberPageSchema = z.object({
  subscribers: z.array(subscriberSchema),
  next: z.string().nullable().describe('pass as `cursor` for the next page; null on the last page'),
  nextUrl: z.string().nullable().describe('the next page’s path with the same filters (also in the Link header, rel="next")'),
});

/** Every schema the document lists under components. */
export const adminSchemas = {
  SubscriberCreate: subscriberCreateSchema,
  SubscriberPatch: subscriberPatchSchema,
  Subscriber: subscriberSchema,
  SubscriberPage: subscriberPageSchema,
  Edition: editionSchema,
  StatsDay: statsDaySchema,
};
