/**
 * The site path of a story's own page: `/articles/<id>-<slug>`. The id finds the story; the slug
 * only makes the address readable, so a stale slug still works (and is redirected).
 */

/** A URL-safe slug from a headline: lower case, ASCII letters and digits, dashes, at most 80 chars. */
export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return slug || 'story';
}

/** `/articles/<id>-<slug>` for a stored story. */
export function articlePath(article: { id: number; title: string }): string {
  return `/articles/${article.id}-${slugify(article.title)}`;
}

/** The id in an `<id>-<slug>` path segment, or undefined. */
export function articleIdFromSegment(segment: string): number | undefined {
  const m = /^(\d{1,15})(?:-[a-z0-9-]*)?$/.exec(segment);
  const id = m ? Number(m[1]) : NaN;
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}
