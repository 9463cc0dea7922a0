import { publishedLabel } from './format-date.js';

/**
 * "By Lin Wei · Harbour Wire · 30 Nov, 16:29 UTC": the byline, source and published time that are
 * known, one wording for the HTML, the text part and the archive page.
 */
export function storyMeta(a: { author?: string | null; source: string | null; publishedAt?: string }): string {
  return [a.author ? `By ${a.author}` : null, a.source, a.publishedAt ? publishedLabel(a.publishedAt) : null].filter(Boolean).join(' · ');
}
