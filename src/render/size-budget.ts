import type { EditionSection } from '../model/edition.js';

/**
 * Trimming rules for the HTML size budget (Gmail clips at about 102 KB and hides the footer,
 * unsubscribe link included). Long sections give up stories first, and each gives up its last,
 * least important story, so every topic keeps its lead.
 */

/** The number of articles across all sections. */
export function countArticles(sections: EditionSection[]): number {
  return sections.reduce((n, section) => n + section.articles.length, 0);
}

/**
 * Removes `n` articles: each time the last article of the section with the most articles (on a
 * tie, the later section, since catalogue order puts the readers' first topics first). Sections
 * left empty disappear.
 */
export function dropArticles(sections: EditionSection[], n: number): EditionSection[] {
  const lists = sections.map((section) => [...section.articles]);
  for (let i = 0; i < n; i++) {
    let longest = -1;
    lists.forEach((list, index) => {
      if (list.length > 0 && (longest < 0 || list.length >= (lists[longest]?.length ?? 0))) longest = index;
    });
    if (longest < 0) break;
    lists[longest]?.pop();
  }
  return sections
    .map((section, index) => ({ topic: section.topic, articles: lists[index] ?? [] }))
    .filter((section) => section.articles.length > 0);
}

/** The UTF-8 size of a string in bytes: what Gmail counts, not UTF-16 code units. */
export function byteSize(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}
