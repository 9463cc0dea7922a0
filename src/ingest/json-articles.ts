import { z } from 'zod';
import { AppError } from '../errors.js';
import type { NewArticle } from '../model/article.js';
import { isHttpUrl } from './article-key.js';
import { readDate } from './dates.js';
import { describeIssues, jsonErrorOffset } from './json-text.js';

/**
 * Articles as JSON: one object, an array, `{articles: [...]}`, or NDJSON (one object per line).
 * Field names follow both snake_case exports and the model's names (`headline`/`title`,
 * `standfirst`/`summary`, `published_at`/`publishedAt`, `image` or `image_url`).
 */

/** An article read from a file, before its key and topics are settled by the import. */
export interface ParsedArticle extends Omit<NewArticle, 'key'> {
  /** A feed guid or the item's own id: the key when there is no URL. */
  guid: string | null;
  /** Where the item sits in its source ("line 3", "item index 2"), for error messages. */
  where: string;
}

const text = z.string().trim();
const optionalText = z
  .string()
  .nullish()
  .transform((v) => (v == null || v.trim() === '' ? null : v.trim()));
const url = z.string().trim().refine(isHttpUrl, { message: 'must be an absolute http(s) URL' });
/** ISO-8601 date or date-time, a real calendar date in 1970–2100; a bare date means midnight UTC. */
const isoDate = z
  .string()
  .trim()
  .superRefine((v, ctx) => {
    if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.test(v)) {
      ctx.addIssue({ code: 'custom', message: 'must be an ISO-8601 date or date-time, e.g. 2025-01-21T08:00:00Z' });
      return;
    }
    const r = readDate(v);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: `is impossible: ${r.reason}` });
  })
  .transform((v) => new Date(v).toISOString());
/** Image addresses may be site-relative (`/static/…`): the import resolves them against PUBLIC_URL. */
const imageUrl = z
  .string()
  .trim()
  .refine((v) => isHttpUrl(v) || /^\/(?!\/)\S*$/.test(v), { message: 'must be an absolute http(s) URL or a site path like /static/photo.jpg' });

/** An image dimension in pixels. */
const pixels = z.number().int().min(1).max(20_000).nullish();

/** One article as files and the push API give it; the one declaration behind validation and the OpenAPI document. */
export const articleInputSchema = z
  .object({
    id: z.union([text.min(1), z.number()]).optional(),
    guid: text.min(1).optional(),
    url: url.nullish(),
    title: text.min(1, 'must not be empty').optional(),
    headline: text.min(1, 'must not be empty').optional(),
    summary: optionalText,
    standfirst: optionalText,
    body: z.string().nullish(),
    topics: z.array(text.min(1)).optional(),
    published_at: isoDate.nullish(),
    publishedAt: isoDate.nullish(),
    image: z
      .object({ url: imageUrl.nullish(), caption: optionalText, credit: optionalText, width: pixels, height: pixels })
      .nullish(),
    image_url: imageUrl.nullish(),
    source: optionalText,
    author: optionalText,
    byline: optionalText,
    // Editorial weight: higher comes first in weekly editions.
    priority: z.number().finite().nullish(),
  })
  .refine((v) => v.title !== undefined || v.headline !== undefined, { message: 'needs a title (or headline)', path: ['title'] });

function toParsed(v: z.infer<typeof articleInputSchema>, where: string): ParsedArticle {
  const imageUrl = v.image?.url ?? v.image_url ?? null;
  const caption = v.image?.caption ?? null;
  const credit = v.image?.credit ?? null;
  const size = v.image?.width && v.image?.height ? { width: v.image.width, height: v.image.height } : {};
  return {
    guid: v.guid ?? (v.id === undefined ? null : String(v.id)),
    url: v.url ?? null,
    title: (v.title ?? v.headline)!,
    summary: v.summary ?? v.standfirst ?? null,
    body: (v.body ?? '').trim(),
    image: imageUrl || caption || credit ? { url: imageUrl, caption, credit, ...size } : null,
    source: v.source ?? null,
    author: v.author ?? v.byline?.replace(/^by\s+/i, '') ?? null,
    publishedAt: v.published_at ?? v.publishedAt ?? null,
    topics: v.topics ?? [],
    ...(v.priority !== undefined ? { priority: v.priority } : {}),
    where,
  };
}

/** One problem with one item: its position, the field (dotted path) and what is wrong. */
export interface ItemIssue {
  index: number;
  where: string;
  field: string;
  message: string;
}

/** Validates every item; returns the parsed ones and every issue (so a caller can refuse all or none). */
export function checkItems(items: Array<{ value: unknown; where: string }>): { parsed: ParsedArticle[]; issues: ItemIssue[] } {
  const issues: ItemIssue[] = [];
  const parsed: ParsedArticle[] = [];
  items.forEach(({ value, where }, index) => {
    const r = articleInputSchema.safeParse(value);
    if (r.success) parsed.push(toParsed(r.data, where));
    else for (const i of r.error.issues) issues.push({ index, where, field: i.path.map(String).join('.'), message: i.message });
  });
  return { parsed, issues };
}

/** Validates every item and throws one INPUT_INVALID listing all bad items, or returns them all. */
export function validateAll(items: Array<{ value: unknown; where: string }>, origin: string): ParsedArticle[] {
  const { parsed, issues } = checkItems(items);
  const problems = issues.map((i) => `${i.where}: ${describeIssues([{ path: i.field ? i.field.split('.') : [], message: i.message }])[0]}`);
  if (problems.length > 0) {
    throw new AppError('INPUT_INVALID', `${origin}: ${problems.length} problem(s), first at ${problems[0]}`, {
      details: problems,
      hint: 'fix these items and import the file again; nothing from it was saved',
    });
  }
  return parsed;
}

/** Validates already-parsed JSON: an article object, an array of them, or `{"articles": [...]}`. */
export function articlesFromJson(data: unknown, origin: string): ParsedArticle[] {
  const wrapped = data !== null && typeof data === 'object' && !Array.isArray(data) && Array.isArray((data as { articles?: unknown }).articles);
  const list = Array.isArray(data) ? data : wrapped ? ((data as { articles: unknown[] }).articles) : null;
  if (list === null) return validateAll([{ value: data, where: 'the article' }], origin);
  return validateAll(
    list.map((value, i) => ({ value, where: `item index ${i}` })),
    origin,
  );
}

/** Parses NDJSON / JSON Lines: one article object per line; blank lines are skipped. */
export function parseNdjsonArticles(content: string, origin: string): ParsedArticle[] {
  const items: Array<{ value: unknown; where: string }> = [];
  content
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .forEach((line, i) => {
      if (line.trim() === '') return;
      const where = `line ${i + 1}`;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (cause) {
        const offset = jsonErrorOffset(line);
        const col = offset >= 0 ? `, column ${offset + 1}` : '';
        throw new AppError('INPUT_INVALID', `${origin}: ${where}${col}: invalid JSON`, {
          cause,
          hint: 'each line of an NDJSON file must be one complete JSON object; nothing from the file was saved',
        });
      }
      items.push({ value, where });
    });
  return validateAll(items, origin);
}
