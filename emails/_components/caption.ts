import type { ArticleImage } from '../../src/model/article.js';

/**
 * "Caption. Photo: Credit" as one line of real text, shared by the HTML and the plain-text part so
 * both say the same thing. Null when there is neither caption nor credit.
 */
export function captionLine(image: Pick<ArticleImage, 'caption' | 'credit'>): string | null {
  const caption = image.caption?.trim() || null;
  const credit = image.credit?.trim() || null;
  if (!caption && !credit) return null;
  if (!credit) return caption;
  if (!caption) return `Photo: ${credit}`;
  return `${/[.!?…]$/.test(caption) ? caption : `${caption}.`} Photo: ${credit}`;
}
