import { createHash } from 'node:crypto';
import type { EditionLabel, EditionSection } from '../model/edition.js';

/**
 * A short stable id for an edition's content: same date, same sections, same articles give the
 * same key, which is what lets many readers share one render. It is also the public archive id,
 * so it carries the date for readability and no personal data. A weekly or weekday edition's
 * label (its frequency and the days it covers) is part of the key: its subject and masthead
 * differ from a daily edition with the same stories. Daily keys are as they always were.
 */
export function editionKey(localDate: string, sections: readonly EditionSection[], label?: EditionLabel): string {
  const h = createHash('sha256').update(localDate);
  if (label && label.frequency !== 'daily') h.update(`|${label.frequency}:${label.from}..${label.to}`);
  for (const s of sections) h.update(`|${s.topic.slug}:${s.articles.map((a) => a.id).join(',')}`);
  return `${localDate}-${h.digest('base64url').slice(0, 16)}`;
}
