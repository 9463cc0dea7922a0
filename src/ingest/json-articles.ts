import { z } from 'zod';
import { AppError } from '../errors.js';
import type { NewArticle } from '../model/article.js';
import { isHttpUrl } from './article-key.js';
import { describeIssues, jsonErrorOffset, parseJsonText } from './json-text.js';

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
/** ISO-8601 date or date-time; a bare date means midnight UTC. */
const isoDate = z
  .string()
  .trim()
  .refine((v) => /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.test(v) && !Number.isNaN(Date.parse(v)), {
    message: 'must be an ISO-8601 date or date-time, e.g. 2025-01-21T08:00:00Z',
  })
  .transform((v) => new Date(v).toISOString());

const itemSchema = z
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
      .object({ url: url.nullish(), caption: optionalText, credit: optionalText })
      .nullish(),
    image_url: url.nullish(),
    source: optionalText,
    // Editorial weight: higher comes first in weekly editions.
    priority: z.number().finite().nullish(),
  })
  .refine((v) => v.title !== undefined || v.headline !== undefined, { message: 'needs a title (or headline)', path: ['title'] });

function toParsed(v: z.infer<typeof itemSchema>, where: string): ParsedArticle {
  const imageUrl = v.image?.url ?? v.image_url ?? null;
  const caption = v.image?.caption ?? null;
  const credit = v.image?.credit ?? null;
  return {
    guid: v.guid ?? (v.id === undefined ? null : String(v.id)),
    url: v.url ?? null,
    title: (v.title ?? v.headline)!,
    summary: v.summary ?? v.standfirst ?? null,
    body: (v.body ?? '').trim(),
    image: imageUrl || caption || credit ? { url: imageUrl, caption, credit } : null,
    source: v.source ?? null,
    publishedAt: v.published_at ?? v.publishedAt ?? null,
    topics: v.topics ?? [],
    ...(v.priority !== undefined ? { priority: v.priority } : {}),
    where,
  };
}

/** Validates every item and throws one INPUT_INVALID listing all bad items, or returns them all. */
function validateAll(items: Array<{ value: unknown; where: string }>, origin: string): ParsedArticle[] {
  const problems: string[] = [];
  const parsed: ParsedArticle[] = [];
  for (const { value, where } of items) {
    const r = itemSchema.safeParse(value);
    if (r.success) parsed.push(toParsed(r.data, where));
    else problems.push(...describeIssues(r.error.issues).map((d) => `${where}: ${d}`));
  }
  if (problems.length > 0) {
    throw new AppError('INPUT_INVALID', `${origin}: ${problems.length} problem(s), first at ${problems[0]}`, {
      details: problems,
      hint: 'fix these items and import the file again; nothing from it was saved',
    });
  }
  return parsed;
}

/** Parses a JSON file: an article object, an array of them, or `{"articles": [...]}`. */
export function parseJsonArticles(content: string, origin: string): ParsedArticle[] {
  const data = parseJsonText(content, origin);
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
