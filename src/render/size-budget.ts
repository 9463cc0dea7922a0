import type { Article } from '../model/article.js';
import type { EditionSection } from '../model/edition.js';

/**
 * Trimming rules for the HTML size budget (Gmail clips at about 102 KB and hides the footer,
 * unsubscribe link included). The largest stories go first: one oversized story must cost the
 * reader that story, not the rest of the digest. Among stories of like size (the same power of
 * two) the last of each section goes first, so every topic keeps its lead.
 */

/** Why a reader gets no digest when every story was over the budget (the ledger's skip reason). */
export const TOO_LARGE = 'too large: every story is over the email size budget';

/** The number of articles across all sections. */
export function countArticles(sections: EditionSection[]): number {
  return sections.reduce((n, section) => n + section.articles.length, 0);
}

/** What a story adds to the email, roughly: the text and links the template prints for it. */
export function storyBytes(a: Article): number {
  return byteSize(a.title) + byteSize(a.summary ?? '') + byteSize(a.url ?? '') + byteSize(a.source ?? '') +
    (a.image ? byteSize(a.image.url ?? '') + byteSize(a.image.caption ?? '') + byteSize(a.image.credit ?? '') : 0);
}

/**
 * A story larger than this could never share a digest with others (the budget is ~100 KB), so a
 * digest that dropped it does not hold the story over for the next one.
 */
export const MAX_CARRIED_STORY_BYTES = 50_000;

/** Whether a story dropped for size is worth offering again in the reader's next digest. */
export function worthCarrying(a: Article): boolean {
  return storyBytes(a) <= MAX_CARRIED_STORY_BYTES;
}

/**
 * Removes the largest stories until their estimated size adds up to `bytes` (always at least one
 * story while any is left). Sections left empty disappear; the input is not changed.
 */
export function dropLargest(sections: EditionSection[], bytes: number): EditionSection[] {
  const order = sections
    .flatMap((section, s) => section.articles.map((a, i) => ({ id: a.id, size: storyBytes(a), sizeClass: Math.floor(Math.log2(storyBytes(a) + 1)), section: s, index: i })))
    // By size class (powers of two), so stories of ordinary length count as equal; among those,
    // each section's last story goes first, so every topic keeps its lead as long as it can.
    .sort((x, y) => y.sizeClass - x.sizeClass || y.index - x.index || y.section - x.section);
  const dropped = new Set<number>();
  let shed = 0;
  for (const story of order) {
    if (dropped.size > 0 && shed >= bytes) break;
    dropped.add(story.id);
    shed += story.size;
  }
  return sections
    .map((section) => ({ topic: section.topic, articles: section.articles.filter((a) => !dropped.has(a.id)) }))
    .filter((section) => section.articles.length > 0);
}

/**
 * One trimming step: drops the largest stories to bring an email of `htmlBytes` toward
 * `maxBytes`. The overshoot is converted to story bytes in proportion to the whole email, which
 * counts the shell too and so sheds too little rather than too much; the caller re-renders and
 * repeats until the email fits.
 */
export function dropToFit(sections: EditionSection[], htmlBytes: number, maxBytes: number): EditionSection[] {
  const storyTotal = sections.reduce((n, section) => n + section.articles.reduce((m, a) => m + storyBytes(a), 0), 0);
  return dropLargest(sections, ((htmlBytes - maxBytes) * storyTotal) / htmlBytes);
}

/** The UTF-8 size of a string in bytes: what Gmail counts, not UTF-16 code units. */
export function byteSize(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}
