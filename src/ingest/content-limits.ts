import { AppError } from '../errors.js';

/**
 * The content limits, in one place, applied by every import path (files, feeds, pages, polled
 * sources and the push API). One oversized story must not be able to crowd every other story out
 * of a digest's size budget, so limits are enforced when stories enter, not when mail is built.
 */

/** A longer title is a broken feed or a pasted body: refused, with the item named. */
export const MAX_TITLE_CHARS = 300;
/** Summaries are cut (at a word boundary) to this many characters, with a warning. */
export const MAX_SUMMARY_CHARS = 600;
/** Bodies are cut to this many bytes of UTF-8, with a warning. */
export const MAX_BODY_BYTES = 200 * 1024;

/** One problem with one item of an import: where it sits, which field, and what is wrong. */
export interface ItemProblem {
  where: string;
  field: string;
  message: string;
}

/**
 * INPUT_INVALID for problems found in individual items, keeping them structured so the push API
 * can answer `{index, field, message}` while the CLI prints the same lines as details.
 */
export class InvalidItemsError extends AppError {
  constructor(
    message: string,
    readonly problems: ItemProblem[],
    hint: string,
  ) {
    super('INPUT_INVALID', message, { details: problems.map((p) => `${p.where}: ${p.field ? `${p.field}: ` : ''}${p.message}`), hint });
  }
}

/** The limited fields of one item, and where it sits in its source for messages. */
export interface LimitedFields {
  title: string;
  summary: string | null;
  body: string;
  where: string;
}

/** Cuts `text` to at most `max` characters at the last word boundary, adding an ellipsis. */
export function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max - 1);
  const space = head.search(/\s\S*$/);
  const cut = space > max / 2 ? head.slice(0, space) : head;
  return `${cut.replace(/[\s,;:.–—-]+$/, '')}…`;
}

function cutBytes(text: string, maxBytes: number): string {
  const buf = Buffer.from(text, 'utf8');
  if (buf.byteLength <= maxBytes) return text;
  // Decoding a cut buffer may leave half a character; drop the replacement char it turns into.
  return buf.subarray(0, maxBytes).toString('utf8').replace(/\uFFFD$/, '');
}

/**
 * Checks and trims items in place of the import: throws INPUT_INVALID naming every over-long
 * title (nothing is saved), else returns the items with summaries and bodies cut, plus one
 * warning per cut.
 */
export function applyContentLimits<T extends LimitedFields>(items: T[], origin: string): { items: T[]; warnings: string[] } {
  const tooLong = items.filter((a) => a.title.length > MAX_TITLE_CHARS);
  if (tooLong.length > 0) {
    throw new InvalidItemsError(
      `${origin}: ${tooLong.length} item(s) have a title over ${MAX_TITLE_CHARS} characters`,
      tooLong.map((a) => ({ where: a.where, field: 'title', message: `is ${a.title.length} characters ("${a.title.slice(0, 60)}…"); the limit is ${MAX_TITLE_CHARS}` })),
      `shorten these titles to ${MAX_TITLE_CHARS} characters or fewer; nothing from this source was saved`,
    );
  }
  const warnings: string[] = [];
  const out = items.map((a) => {
    let { summary, body } = a;
    if (summary !== null && summary.length > MAX_SUMMARY_CHARS) {
      warnings.push(`${a.where}: summary cut from ${summary.length} to ${MAX_SUMMARY_CHARS} characters`);
      summary = cutAtWord(summary, MAX_SUMMARY_CHARS);
    }
    const bytes = Buffer.byteLength(body, 'utf8');
    if (bytes > MAX_BODY_BYTES) {
      warnings.push(`${a.where}: body cut from ${bytes} to ${MAX_BODY_BYTES} bytes`);
      body = cutBytes(body, MAX_BODY_BYTES);
    }
    return summary === a.summary && body === a.body ? a : { ...a, summary, body };
  });
  return { items: out, warnings };
}
