import type { EditionContent } from '../model/edition.js';
import { TOO_LARGE, worthCarrying } from '../render/size-budget.js';

/**
 * What trimming an edition to the email size budget means for the ledger row of a reader it was
 * planned for. Windows are time ranges over when stories were first seen, and the next digest
 * starts where this one's window ends; so a story dropped for size would fall between two windows
 * and be lost. Ending the window just before the earliest dropped story brings it round again
 * (stories already sent in between are excluded as sent). A story too large for any digest is
 * not held over, or it would pin every later window. An edition with no story left is not sent.
 */

/** The parts of a planned ledger row that trimming can change. */
export interface TrimmedRow {
  status: 'planned' | 'skipped';
  editionKey: string | null;
  windowEnd: string;
  reason: string | null;
}

/** The row for a reader whose planned edition kept only `keptIds` after trimming. */
export function rowAfterTrim(edition: EditionContent, keptIds: readonly number[], windowEnd: string): TrimmedRow {
  if (keptIds.length === 0) return { status: 'skipped', editionKey: null, windowEnd, reason: TOO_LARGE };
  const kept = new Set(keptIds);
  let end = windowEnd;
  for (const section of edition.sections) {
    for (const a of section.articles) if (!kept.has(a.id) && worthCarrying(a) && a.firstSeenAt < end) end = a.firstSeenAt;
  }
  return { status: 'planned', editionKey: edition.key, windowEnd: end, reason: null };
}
