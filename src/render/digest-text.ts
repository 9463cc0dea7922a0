import { captionLine } from '../../emails/_components/caption.js';
import { formatShortDate } from '../../emails/_components/format-date.js';
import { listWords } from '../../emails/_components/list-words.js';
import { tokens } from '../../emails/_components/personal-tokens.js';
import type { EditionSection } from '../model/edition.js';
import { renderSubject, renderText } from './text-templates.js';

/**
 * Subject line and plain-text part of a digest, from the same prepared sections as the HTML.
 * The text part is written, not derived from the HTML: a real text part reads better and
 * spam filters score a lazy one.
 */

/** Long headlines are cut at a word so the subject stays readable in an inbox list. */
const SUBJECT_HEADLINE_MAX = 90;

/** What the digest text templates need besides the sections. */
export interface DigestTextContext {
  senderName: string;
  senderAddress: string;
  /** e.g. "Friday 27 November 2026", or the edition label. */
  dateLabel: string;
  /** The frequency the footer's switch link offers, when the edition has a label. */
  switchTo?: 'daily' | 'weekly';
}

function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.–—-]+$/, '')}…`;
}

/**
 * The subject: "<edition label>: <top headline> and N more", or without a label "Your digest for
 * Friday 27 November: …".
 */
export function digestSubject(sections: EditionSection[], localDate: string, editionLabel?: string): string {
  const all = sections.flatMap((section) => section.articles);
  return renderSubject('digest-subject', {
    dateLabel: formatShortDate(localDate),
    editionLabel,
    topHeadline: all[0] ? shorten(all[0].title.replace(/\s+/g, ' ').trim(), SUBJECT_HEADLINE_MAX) : null,
    moreCount: Math.max(0, all.length - 1),
  });
}

/** The plain-text part, with personal-field tokens still in it. */
export function digestText(sections: EditionSection[], ctx: DigestTextContext): string {
  return renderText('digest.txt', {
    senderName: ctx.senderName,
    senderAddress: ctx.senderAddress,
    dateLabel: ctx.dateLabel,
    switchTo: ctx.switchTo,
    topicList: listWords(sections.map((section) => section.topic.name)),
    sections: sections.map((section) => ({
      name: section.topic.name,
      underline: '='.repeat(Math.min(60, Math.max(3, section.topic.name.length))),
      articles: section.articles.map((a) => ({
        title: a.title,
        summary: a.summary,
        caption: a.image?.url ? captionLine(a.image) : null,
        source: a.source,
        url: a.url ?? tokens.viewOnlineUrl,
      })),
    })),
  });
}
