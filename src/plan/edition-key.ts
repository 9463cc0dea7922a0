import { createHash } from 'node:crypto';
import type { EditionSection } from '../model/edition.js';

/**
 * A short stable id for an edition's content: same date, same sections, same articles give the
 * same key, which is what lets many readers share one render. It is also the public archive id,
 * so it carries the date for readability and no personal data.
 */
export function editionKey(localDate: string, sections: readonly EditionSection[]): string {
  const h = createHash('sha256').update(localDate);
  for (const s of sections) h.update(`|${s.topic.slug}:${s.articles.map((a) => a.id).join(',')}`);
  return `${localDate}-${h.digest('base64url').slice(0, 16)}`;
}
