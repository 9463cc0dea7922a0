import type { EditionSection } from '../../src/model/edition.js';

/** Each non-empty section's topic and story count, in section order. */
export function topicCounts(sections: EditionSection[]): Array<{ slug: string; name: string; count: number }> {
  return sections.filter((x) => x.articles.length > 0).map((x) => ({ slug: x.topic.slug, name: x.topic.name, count: x.articles.length }));
}

/** "China 3 · Taiwan 2 · Business 1": the preheader and the text part's "In this digest" line. */
export function topicCountLine(sections: EditionSection[]): string {
  return topicCounts(sections)
    .map((c) => `${c.name} ${c.count}`)
    .join(' · ');
}
