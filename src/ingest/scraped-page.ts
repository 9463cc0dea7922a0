import type { NewArticle } from '../model/article.js';
import { AppError } from '../errors.js';
import { datelineOf, unambiguousDate } from './page-date.js';

/**
 * Parses an article page as a scraper saves it: plain text, headline on the first line, one
 * paragraph per line, with the page's furniture (newsletter sign-up, photo captions and credits,
 * "Follow topic:", "See more on") mixed in.
 *
 * Rules:
 * - Headline: the first non-empty line.
 * - Lead zone: the lines before "Follow topic:" (or, without that marker, the first
 *   {@link LEAD_ZONE_LINES} lines). Only there is a line read as a photo caption, so a body
 *   paragraph is never mistaken for one.
 * - Caption and credit: a line whose tail after its last sentence is a credit ("Name/Agency via
 *   REUTERS"), or a line followed by "PHOTO: AGENCY". A second, shorter copy of the caption is dropped.
 * - Standfirst: a text line in the lead zone (before "Follow topic:") if the page has one; otherwise
 *   the first body paragraph without its dateline ("MOSCOW - "). That paragraph stays in the body.
 * - Broken sentences: a paragraph without terminal punctuation followed by one that starts in lower
 *   case or with punctuation is one sentence the scraper split where a link was; they are re-joined.
 * - Wire source: an all-caps agency after the last sentence of the last paragraph ("… people. REUTERS").
 */
export type ScrapedArticle = Omit<NewArticle, 'key'>;

/** Without a "Follow topic:" marker, captions are only looked for this close to the headline. */
export const LEAD_ZONE_LINES = 6;

const FURNITURE = [
  /^sign up now\b/i,
  /^sign up\b.*\bnewsletters?\b/i,
  /^follow topics?:?$/i,
  /^see more on\b/i,
  /^read more\b.*:?$/i,
];
const FOLLOW_MARKER = /^follow topics?:?$/i;
/** "PHOTO: X", "ST PHOTO: X", "FILE PHOTO: X", "IMAGE: X" on a line of its own. */
const PHOTO_LINE = /^(?:[A-Z]{1,6}\s+)?(?:file\s+)?(?:photos?|image|picture)\s*:\s*(.+)$/i;
/** The same credit at the end of a caption line: "Caption text. ST PHOTO: NAME". */
const PHOTO_TAIL = /^(.*[.!?]["”’)]?)\s+(?:[A-Z]{1,6}\s+)?(?:FILE\s+)?(?:PHOTOS?|IMAGE|PICTURE)\s*:\s*(.+)$/;
/** Ends in terminal punctuation, possibly inside closing quotes or brackets. */
const TERMINAL = /[.!?…:;]["”’')\]]*$/;
/** A credit: "A/B", "… via AGENCY" or a bare all-caps agency; no sentence punctuation at its end. */
const CREDIT = /^(?=.{2,120}$)(?:[^.!?]*\/[^.!?]*|.*\bvia\s+\S.*|[A-Z][A-Z&]+(?:[ ,/]+[A-Z][A-Z&]+)*)$/;
const WIRE_TAIL = /([.!?…]["”’')\]]*)\s+([A-Z]{2,}(?:\s*[,/&]\s*[A-Z]{2,}|\s+[A-Z]{2,})*)$/;
const DATELINE = /^[A-Z][A-Z .,'’-]{1,40}\s+[-–—]\s+(?=\S)/;

function isFurniture(line: string): boolean {
  return FURNITURE.some((re) => re.test(line));
}

/**
 * Splits "Caption text. Name/Agency via REUTERS", "Caption. ST PHOTO: NAME" or "Caption. AFP" into
 * caption and credit, when the tail after the last sentence is a credit.
 */
function splitCaptionCredit(line: string): { caption: string; credit: string } | null {
  const photo = PHOTO_TAIL.exec(line);
  if (photo?.[1] && photo[2]) return { caption: photo[1].trim(), credit: photo[2].trim() };
  const m = /^(.*[.!?]["”’)]?)\s+([^.!?]+)$/.exec(line);
  if (!m || !m[1] || !m[2]) return null;
  const credit = m[2].trim();
  return CREDIT.test(credit) ? { caption: m[1].trim(), credit } : null;
}

function stripTerminal(text: string): string {
  return text.replace(/[.!?…]+["”’')\]]*$/, '').trim().toLowerCase();
}

/** A shorter copy of the caption, as pages print it once over the photo and once under it. */
function isDuplicateCaption(line: string, caption: string): boolean {
  const a = stripTerminal(line);
  const b = stripTerminal(caption);
  return a.length > 0 && (b.startsWith(a) || a.startsWith(b));
}

/** Joins paragraphs the scraper split mid-sentence where a link used to be. */
export function rejoinBrokenSentences(paragraphs: string[]): string[] {
  const out: string[] = [];
  for (const p of paragraphs) {
    const prev = out[out.length - 1];
    const continues = /^[\p{Ll},;:.)\]!?’”]/u.test(p);
    if (prev !== undefined && !TERMINAL.test(prev) && continues) {
      out[out.length - 1] = /^[\p{L}\p{N}]/u.test(p) ? `${prev} ${p}` : `${prev}${p}`;
    } else {
      out.push(p);
    }
  }
  return out;
}

interface LeadZone {
  caption: string | null;
  credit: string | null;
  /** Lines in the zone that are neither furniture nor part of the photo. */
  text: string[];
}

/**
 * Reads the lines above the story. Every photo caption is taken out of the text (so it can never
 * become the standfirst); only the first photo's caption and credit are kept.
 */
function readLeadZone(lines: string[]): LeadZone {
  const zone: LeadZone = { caption: null, credit: null, text: [] };
  let photos = 0;
  lines.forEach((line, i) => {
    const photo = PHOTO_LINE.exec(line);
    if (photo?.[1]) {
      if (photos <= 1) zone.credit ??= photo[1].trim();
      return;
    }
    if (isFurniture(line)) return;
    if (zone.caption !== null && isDuplicateCaption(line, zone.caption)) return;
    const split = splitCaptionCredit(line);
    const next = lines[i + 1];
    if (split || (next !== undefined && PHOTO_LINE.test(next))) {
      photos++;
      if (photos === 1) {
        zone.caption = split?.caption ?? line;
        zone.credit = split?.credit ?? null;
      }
      return;
    }
    zone.text.push(line);
  });
  return zone;
}

/** Takes the wire agency off the end of the last paragraph; returns it as the source. */
function takeWireSource(paragraphs: string[]): string | null {
  const last = paragraphs[paragraphs.length - 1];
  if (last === undefined) return null;
  if (/^[A-Z]{2,}(?:\s*[,/&]\s*[A-Z]{2,})*$/.test(last)) {
    paragraphs.pop();
    return last;
  }
  const m = WIRE_TAIL.exec(last);
  if (!m || !m[2]) return null;
  paragraphs[paragraphs.length - 1] = last.slice(0, m.index) + m[1];
  return m[2];
}

/** Parses one scraped page. `origin` names the file in errors. */
export function parseScrapedPage(text: string, origin: string): ScrapedArticle {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .map((l) => l.replace(/[\s\u00a0]+/g, ' ').trim())
    .filter((l) => l !== '');
  const [title, ...rest] = lines;
  if (title === undefined) {
    throw new AppError('INPUT_INVALID', `${origin}: the page is empty`, { hint: 'a scraped page starts with the headline on its first line' });
  }
  const marker = rest.findIndex((l) => FOLLOW_MARKER.test(l));
  const zoneEnd = marker >= 0 ? marker : Math.min(rest.length, LEAD_ZONE_LINES);
  const zone = readLeadZone(rest.slice(0, zoneEnd));
  const after = rest.slice(marker >= 0 ? marker + 1 : zoneEnd).filter((l) => !isFurniture(l) && !PHOTO_LINE.test(l));

  const explicitStandfirst = marker >= 0 ? zone.text.shift() ?? null : null;
  const paragraphs = rejoinBrokenSentences([...zone.text, ...after]);
  const source = takeWireSource(paragraphs);
  if (paragraphs.length === 0) {
    throw new AppError('INPUT_INVALID', `${origin}: the page has a headline but no story text`, {
      hint: 'check that the scraper saved the article body',
    });
  }
  const summary = explicitStandfirst ?? paragraphs[0]!.replace(DATELINE, '');
  const hasPhoto = zone.caption !== null || zone.credit !== null;
  const printed = unambiguousDate([zone.caption, datelineOf(paragraphs[0]!)]);
  return {
    url: null,
    title,
    summary,
    body: paragraphs.join('\n\n'),
    image: hasPhoto ? { url: null, caption: zone.caption, credit: zone.credit } : null,
    source,
    publishedAt: printed,
    topics: [],
  };
}
