import type { Article } from '../model/article.js';
import type { EditionSection } from '../model/edition.js';

/**
 * Builds a reader's sections: one per followed topic in catalogue order, newest first, capped at
 * `maxPerTopic`. An article that matches several followed topics appears once, in the first
 * section it qualifies for, so nobody reads the same story twice in one email.
 *
 * `articles` must already be sorted newest first (the store returns them that way).
 */
export function buildSections(
  articles: readonly Article[],
  followed: readonly { slug: string; name: string }[],
  maxPerTopic: number,
  exclude?: ReadonlySet<number>,
): EditionSection[] {
  const used = new Set<number>();
  const sections: EditionSection[] = [];
  for (const topic of followed) {
    const picked: Article[] = [];
    for (const a of articles) {
      if (picked.length >= maxPerTopic) break;
      if (used.has(a.id) || exclude?.has(a.id) || !a.topics.includes(topic.slug)) continue;
      picked.push(a);
      used.add(a.id);
    }
    if (picked.length > 0) sections.push({ topic: { slug: topic.slug, name: topic.name }, articles: picked });
  }
  return sections;
}

/**
 * Articles with a `priority` first, higher first; then the rest in their given order (newest
 * first). Stable, so equal priorities keep recency order. Used for weekly editions, where a
 * week's news is more than the cap and editors say what matters most.
 */
export function byPriority(articles: readonly Article[]): Article[] {
  const rank = (a: Article) => (a.priority === null || a.priority === undefined ? -Infinity : a.priority);
  return [...articles].sort((a, b) => rank(b) - rank(a));
}
