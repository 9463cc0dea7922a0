import type { Article } from '../model/article.js';
import { articlePath } from '../model/article-path.js';
import type { EditionSection } from '../model/edition.js';
import { neutraliseText, neutraliseUrl } from './neutralise.js';

/**
 * Turns stored sections into what the templates may print: token-proof text, only http(s) links,
 * and absolute image URLs. Both the HTML and the plain-text part render from this one result, so
 * they always show the same stories.
 */

/** Resolves `url` against the public URL; null unless the result is http(s). */
export function safeHttpUrl(url: string | null, publicUrl: string): string | null {
  if (!url) return null;
  let resolved: URL;
  try {
    resolved = new URL(url.trim(), `${publicUrl.replace(/\/+$/, '')}/`);
  } catch {
    return null;
  }
  return resolved.protocol === 'http:' || resolved.protocol === 'https:' ? neutraliseUrl(resolved.href) : null;
}

function prepareArticle(a: Article, publicUrl: string): Article {
  const imageUrl = a.image ? safeHttpUrl(a.image.url, publicUrl) : null;
  return {
    ...a,
    // A relative article link would resolve against the reader's mail client, not our site. A
    // story with no link of its own links to its page on our site, never to the archive copy.
    url: (a.url && URL.canParse(a.url) ? safeHttpUrl(a.url, publicUrl) : null) ?? safeHttpUrl(articlePath(a), publicUrl),
    title: neutraliseText(a.title),
    summary: neutraliseText(a.summary),
    source: neutraliseText(a.source),
    image:
      a.image && imageUrl
        ? { url: imageUrl, caption: neutraliseText(a.image.caption), credit: neutraliseText(a.image.credit) }
        : null,
  };
}

/** Prepares every section and article; empty sections are dropped (no heading over nothing). */
export function prepareSections(sections: EditionSection[], publicUrl: string): EditionSection[] {
  return sections
    .filter((section) => section.articles.length > 0)
    .map((section) => ({
      topic: { slug: section.topic.slug, name: neutraliseText(section.topic.name) },
      articles: section.articles.map((a) => prepareArticle(a, publicUrl)),
    }));
}
