import { captionLine } from '../../emails/_components/caption.js';
import { formatShortDate } from '../../emails/_components/format-date.js';
import { storyMeta } from '../../emails/_components/story-meta.js';
import { topicCountLine } from '../../emails/_components/topic-counts.js';
import type { DigestBrand } from '../../emails/_components/DigestFooter.js';
import { listWords } from '../../emails/_components/list-words.js';
import { tokens } from './personal-tokens.js';
import type { EditionSection } from '../model/edition.js';
import { renderSubject, renderText } from './text-templates.js';

/**
 * Subject line and plain-text part of a digest, from the same prepared sections as the HTML.
 * The text part is written, not derived from the HTML: a real text part reads better and
 * spam filters score a lazy one.
 */

/** Inbox lists and phones cut subjects beyond about 70 characters; the default format stays under. */
export const SUBJECT_MAX = 69;

/** What the digest text templates need besides the sections. */
export type DigestTextContext = Pick<DigestBrand, 'senderName' | 'senderAddress' | 'subscribeUrl' | 'privacyUrl' | 'repliesWelcome'> & {
  /** e.g. "Friday 27 November 2026", or the edition label. */
  dateLabel: string;
  /** The frequency the footer's switch link offers, when the edition has a label. */
  switchTo?: 'daily' | 'weekly';
};

function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.–—-]+$/, '')}…`;
}

/**
/**
 * The subject, from templates/digest-subject.hbs: by default the top headline and how many more
 * ("Xi and Putin discuss ties with Trump, + 6 more"), led by the edition label for weekly and
 * weekday readers ("Your weekly digest, 23–29 November: …"); the headline is cut at a word so the
 * whole line stays under {@link SUBJECT_MAX} characters.
 */
export function digestSubject(sections: EditionSection[], localDate: string, senderName = '', editionLabel?: string): string {
  const all = sections.flatMap((section) => section.articles);
  const moreCount = Math.max(0, all.length - 1);
  const suffix = moreCount > 0 ? `, + ${moreCount} more`.length : 0;
  return renderSubject('digest-subject', {
    senderName,
    dateLabel: formatShortDate(localDate),
    editionLabel,
    topHeadline: all[0] ? shorten(all[0].title.replace(/\s+/g, ' ').trim(), Math.max(20, SUBJECT_MAX - suffix - (editionLabel ? editionLabel.length + 2 : 0))) : null,
    moreCount,
    topics: topicCountLine(sections),
  });
}

/** The plain-text part, with personal-field tokens still in it. */
export function digestText(sections: EditionSection[], ctx: DigestTextContext): string {
  return renderText('digest.txt', {
    ...ctx,
    inThisDigest: topicCountLine(sections),
    topicList: listWords(sections.map((section) => section.topic.name)),
    sections: sections.map((section) => ({
      name: section.topic.name,
      underline: '='.repeat(Math.min(60, Math.max(3, section.topic.name.length))),
      articles: section.articles.map((a) => ({
        title: a.title,
        summary: a.summary,
        caption: a.image?.url ? captionLine(a.image) : null,
        meta: storyMeta(a),
        url: a.url ?? tokens.viewOnlineUrl,
      })),
    })),
  });
}
