/**
 * A photo attached to an article; caption and credit are real text in the email. `url` is null
 * when the source named a photo (caption, credit) but gave no address for it, as scraped pages do.
 */
export interface ArticleImage {
  url: string | null;
  caption: string | null;
  credit: string | null;
  /** Pixel size of the source image, when the source said; templates size the `<img>` from it. */
  width?: number | null;
  height?: number | null;
}

/** An article as ingestion hands it to the store, before it has an id. */
export interface NewArticle {
  /** Canonical URL, feed guid or content hash: what makes a re-import update instead of duplicate. */
  key: string;
  /** Weaker keys the story may have been stored under before (its URL when `key` is its guid). */
  altKeys?: string[];
  url: string | null;
  title: string;
  /** The standfirst. */
  summary: string | null;
  body: string;
  image: ArticleImage | null;
  source: string | null;
  /** The byline ("Lin Wei"), when the source gave one; shown as "By …". */
  author?: string | null;
  /** ISO-8601; null means "use the import time". */
  publishedAt: string | null;
  topics: string[];
  /** Editorial weight: in a weekly edition higher comes first; absent or null means by recency. */
  priority?: number | null;
}

/** A stored article. */
export interface Article extends Omit<NewArticle, 'publishedAt' | 'altKeys'> {
  id: number;
  publishedAt: string;
  firstSeenAt: string;
  /** When the publisher withdrew it; withdrawn stories never go into a digest. */
  withdrawnAt?: string | null;
  /** When (and by whom) an editor set its topics by hand; re-imports then keep them. */
  topicsFixedAt?: string | null;
  topicsFixedBy?: string | null;
}
