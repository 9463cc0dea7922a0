import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { AppError, messageOf } from '../errors.js';
import type { TopicInput } from '../model/topic.js';
import type { Store } from '../store/store.js';
import { describeIssues, parseJsonText } from '../ingest/json-text.js';

/**
 * A topic catalogue file: a JSON array of `{slug, name, description?, keywords?}`, or the same
 * under `{"topics": [...]}`. Every item is checked and every problem reported before anything is
 * written, so one run of the command shows the whole list of fixes.
 */

/** Lower-case words joined by single hyphens: stable in URLs, preference forms and files. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * Limits on a topic's text, the same for a topic file and the console's topic page: a name fits a
 * digest section heading and a subject line, and a keyword list stays one readable regex.
 */
export const TOPIC_LIMITS = { name: 80, description: 500, keywords: 100, keyword: 80 } as const;

// Names and keywords end up in headings, subject lines and regexes: one line of text each.
const ONE_LINE = [/^[^\p{Cc}\u2028\u2029]*$/u, 'must be one line of text, without control characters'] as const;

const topicFields = {
  name: z.string().trim().min(1, 'must not be empty').max(TOPIC_LIMITS.name, `must be at most ${TOPIC_LIMITS.name} characters`).regex(...ONE_LINE),
  description: z
    .string()
    .max(TOPIC_LIMITS.description, `must be at most ${TOPIC_LIMITS.description} characters`)
    .nullish()
    .transform((v) => (v == null || v.trim() === '' ? null : v.trim())),
  keywords: z
    .array(z.string().trim().min(1, 'must not be empty').max(TOPIC_LIMITS.keyword, `must be at most ${TOPIC_LIMITS.keyword} characters`).regex(...ONE_LINE))
    .max(TOPIC_LIMITS.keywords, `at most ${TOPIC_LIMITS.keywords} keywords`)
    .optional()
    .default([]),
};

const topicSchema = z.object({
  slug: z.string().trim().regex(SLUG_PATTERN, 'must be kebab-case, e.g. "us-politics"'),
  ...topicFields,
});

const topicEditSchema = z.object(topicFields);

/**
 * Checks an edit of an existing topic (the console's form): the same rules as a topic file, the
 * slug left as it is because readers follow it. Returns the cleaned topic, or one message per problem.
 */
export function validateTopicEdit(slug: string, input: { name: unknown; description: unknown; keywords: unknown }): { topic: TopicInput } | { problems: string[] } {
  const r = topicEditSchema.safeParse(input);
  if (!r.success) return { problems: describeIssues(r.error.issues) };
  return { topic: { slug, ...r.data } };
}

function invalid(origin: string, details: string[]): AppError {
  return new AppError('INPUT_INVALID', `${origin}: ${details.length} problem(s) in the topic file`, {
    details,
    hint: 'fix these items and run the import again; no topic was changed',
  });
}

/** Parses and validates a topic file's text; `origin` names it in errors. */
export function parseTopicFile(text: string, origin: string): TopicInput[] {
  const data = parseJsonText(text, origin);
  const list = Array.isArray(data) ? data : (data as { topics?: unknown } | null)?.topics;
  if (!Array.isArray(list)) {
    throw invalid(origin, ['expected an array of topics, or an object with a "topics" array']);
  }
  const problems: string[] = [];
  const topics: TopicInput[] = [];
  const firstIndex = new Map<string, number>();
  list.forEach((item, i) => {
    const r = topicSchema.safeParse(item);
    if (!r.success) {
      problems.push(...describeIssues(r.error.issues).map((d) => `item index ${i}: ${d}`));
      return;
    }
    const seen = firstIndex.get(r.data.slug);
    if (seen !== undefined) {
      problems.push(`item index ${i}: slug "${r.data.slug}" repeats item index ${seen}`);
      return;
    }
    firstIndex.set(r.data.slug, i);
    topics.push(r.data);
  });
  if (problems.length > 0) throw invalid(origin, problems);
  return topics;
}

/** Reads a topic file and upserts all its topics in one transaction. */
export async function importTopicFile(store: Store, path: string, now: Date): Promise<{ added: number; updated: number }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new AppError('INPUT_UNREADABLE', `${path}: cannot read (${messageOf(cause)})`, { cause, hint: 'check the path to the topic file' });
  }
  const topics = parseTopicFile(text, path);
  return store.transaction((tx) => tx.topics.upsert(topics, now.toISOString()));
}
