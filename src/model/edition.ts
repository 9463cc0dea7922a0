import type { Article } from './article.js';

/** One topic's part of a digest. */
export interface EditionSection {
  topic: { slug: string; name: string };
  articles: Article[];
}

/** Which edition this is, for subject, preheader and masthead. */
export interface EditionLabel {
  frequency: 'daily' | 'weekdays' | 'weekly';
  /** First and last local date the edition stands for (equal for daily and weekday editions). */
  from: string;
  to: string;
  /** "Your weekly digest, 23–29 November". */
  text: string;
}

/**
 * The content of a digest, identical for every reader who follows the same topics and is owed
 * the same articles on the same day. It is rendered once, then personalised per reader.
 */
export interface EditionContent {
  /** A stable hash of date, sections and article ids: equal content, equal key. */
  key: string;
  /** The readers' local calendar date, YYYY-MM-DD. */
  localDate: string;
  sections: EditionSection[];
  /** Which edition this is; absent in hand-built editions (tests, samples), which read as plain dated digests. */
  label?: EditionLabel;
}

/** Subject, HTML and text of one message. */
export interface MessageParts {
  subject: string;
  html: string;
  text: string;
}

/** An edition rendered once, still holding personal-field tokens to fill per reader. */
export interface RenderedEdition extends MessageParts {
  key: string;
  /** The article ids that made it into the email after trimming to the size budget. */
  articleIds: number[];
}

/** The per-reader values substituted into a rendered edition. */
export interface PersonalValues {
  name: string | null;
  email: string;
  unsubscribeUrl: string;
  preferencesUrl: string;
  viewOnlineUrl: string;
}
