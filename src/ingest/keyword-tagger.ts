import type { Topic } from '../model/topic.js';

/**
 * Tags an article that arrived without topics by the catalogue's keywords.
 *
 * Scoring, per topic: each whole-word keyword occurrence counts 4 in the title, 2 in the summary
 * and 1 in the body. A topic is tagged at {@link TAG_THRESHOLD} (4): one title mention is enough;
 * otherwise a summary mention plus two in the body, or four in the body alone. Passing mentions
 * ("oil", "market" and "trade" once each in a diplomacy story) stay below it; a wrong section in
 * a digest is worse for readers than a story missing from one more section.
 */

/** Points per keyword occurrence, by where it occurs. */
export const TAG_WEIGHTS = { title: 4, summary: 2, body: 1 } as const;

/** The score a topic needs before the tagger assigns it. */
export const TAG_THRESHOLD = 4;

/** The parts of an article the tagger reads. */
export interface TaggableText {
  title: string;
  summary?: string | null;
  body?: string | null;
}

/** A tagger built once for a catalogue; `tag` is pure and returns slugs in catalogue order. */
export interface KeywordTagger {
  tag(article: TaggableText): string[];
  /** Every topic's score, for explaining a tagging decision. */
  scores(article: TaggableText): Map<string, number>;
}

// Curly apostrophes and the like become ASCII so "Taiwan's" in a keyword matches "Taiwan’s" in text.
function foldQuotes(text: string): string {
  return text.replace(/[\u2018\u2019\u201b\u02bc\u2032]/g, "'");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * One regex per topic: any of its keywords, bounded by non-letters/digits on both sides (so "Xi"
 * misses "Xinjiang" but hits "Xi’s"), with any run of whitespace between the words of a phrase.
 */
function topicPattern(keywords: string[]): RegExp | null {
  const alternatives = keywords
    .map((k) => foldQuotes(k).trim())
    .filter((k) => k !== '')
    .sort((a, b) => b.length - a.length)
    .map((k) => k.split(/\s+/).map(escapeRegExp).join('\\s+'));
  if (alternatives.length === 0) return null;
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'giu');
}

function countMatches(pattern: RegExp, text: string | null | undefined): number {
  if (!text) return 0;
  let n = 0;
  for (const _ of foldQuotes(text).matchAll(pattern)) n++;
  return n;
}

/**
 * Builds a tagger for `topics` (in catalogue order). A topic without keywords falls back to its
 * name, so a freshly imported topic still tags something; topics with keywords ignore their name
 * because names like "World" are too common to be evidence.
 */
export function createKeywordTagger(topics: readonly Pick<Topic, 'slug' | 'name' | 'keywords'>[]): KeywordTagger {
  const compiled = topics
    .map((t) => ({ slug: t.slug, pattern: topicPattern(t.keywords.length > 0 ? t.keywords : [t.name]) }))
    .filter((t): t is { slug: string; pattern: RegExp } => t.pattern !== null);

  const scores = (article: TaggableText): Map<string, number> =>
    new Map(
      compiled.map(({ slug, pattern }) => [
        slug,
        countMatches(pattern, article.title) * TAG_WEIGHTS.title +
          countMatches(pattern, article.summary) * TAG_WEIGHTS.summary +
          countMatches(pattern, article.body) * TAG_WEIGHTS.body,
      ]),
    );

  return {
    scores,
    tag: (article) => [...scores(article)].filter(([, score]) => score >= TAG_THRESHOLD).map(([slug]) => slug),
  };
}
