/**
 * Builds a scraped article page in the shape the newsroom's scraper saves (headline first, one
 * paragraph per line, blank lines between, page furniture mixed in) from a few made-up parts.
 */
export interface ScrapedPageParts {
  headline: string;
  /** A lead line printed under the headline, before the photo. */
  standfirst?: string;
  signUp?: boolean;
  photo?: {
    caption: string;
    /** Appended to the long caption line, e.g. "Jane Roe/Pool via REUTERS". */
    credit?: string;
    /** A shorter copy of the caption, printed again under the photo. */
    shortCaption?: string;
    /** The agency of a trailing "PHOTO: AGENCY" line. */
    photoLine?: string;
  };
  followTopic?: boolean;
  paragraphs: string[];
  /** Appended to the last paragraph after a space, e.g. "REUTERS". */
  wire?: string;
  seeMore?: boolean;
}

/** The page text for `parts`. */
export function scrapedPage(parts: ScrapedPageParts): string {
  const lines: string[] = [parts.headline];
  if (parts.standfirst) lines.push(parts.standfirst);
  if (parts.signUp ?? true) lines.push("Sign up now: Get the Gazette's newsletters delivered to your inbox");
  if (parts.photo) {
    const { caption, credit, shortCaption, photoLine } = parts.photo;
    lines.push(credit ? `${caption} ${credit}` : caption);
    if (shortCaption) lines.push(shortCaption);
    if (photoLine) lines.push(`PHOTO: ${photoLine}`);
  }
  if (parts.followTopic ?? true) lines.push('Follow topic:');
  const body = [...parts.paragraphs];
  if (parts.wire && body.length > 0) body[body.length - 1] = `${body[body.length - 1]} ${parts.wire}`;
  lines.push(...body);
  if (parts.seeMore ?? true) lines.push('See more on');
  return lines.join('\n\n');
}

/** A made-up story with every kind of furniture, shaped like the real sample. */
export function fictionalStory(overrides: Partial<ScrapedPageParts> = {}): string {
  return scrapedPage({
    headline: 'Harbour city opens floating solar farm as heatwave grips region',
    photo: {
      caption: 'Engineers inspect panels at the Northbay floating solar farm in Port Avel, March 3, 2025.',
      credit: 'Lena Marsh/Pool via REUTERS',
      shortCaption: 'Engineers inspect panels at the Northbay floating solar farm.',
      photoLine: 'REUTERS',
    },
    paragraphs: [
      'PORT AVEL - The harbour city of Port Avel switched on its first floating solar farm on March 3',
      'as a heatwave pushed power demand to a record',
      ', officials said, calling it a milestone for the region’s climate goals.',
      'The farm’s 40,000 panels sit on a disused reservoir and will cut carbon emissions by a fifth, the city’s energy office said.',
      'Mayor Ilse Varga said the project showed that renewable power could be built quickly.',
    ],
    wire: 'REUTERS',
    ...overrides,
  });
}
