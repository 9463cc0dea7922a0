import { createHash } from 'node:crypto';

/**
 * Article keys: what makes a re-import update a stored story instead of duplicating it.
 * Priority: canonical URL, then feed guid, then a hash of title and source.
 */

/** Query parameters that only track where a click came from; they never change the story. */
const TRACKING_PARAM = /^(utm_[a-z0-9_]*|fbclid|gclid|mc_cid|mc_eid)$/i;

/** True for an absolute http(s) URL. */
export function isHttpUrl(value: string): boolean {
  return /^https?:\/\//i.test(value.trim()) && URL.canParse(value.trim());
}

/**
 * The canonical form of an article URL: lower-case scheme and host, no default port, no fragment,
 * no tracking parameters (utm_* and click ids). Returns null when `url` is not an http(s) URL.
 */
export function canonicalUrl(url: string): string | null {
  if (!isHttpUrl(url)) return null;
  const u = new URL(url.trim());
  u.hash = '';
  for (const name of [...u.searchParams.keys()]) {
    if (TRACKING_PARAM.test(name)) u.searchParams.delete(name);
  }
  // URLSearchParams re-serialises the query; leave an untouched query alone to keep it byte-identical.
  if (u.searchParams.size === 0) u.search = '';
  return u.href;
}

/** What {@link articleKey} looks at. */
export interface ArticleKeyInput {
  url?: string | null;
  guid?: string | null;
  title: string;
  source?: string | null;
}

/**
 * The dedupe keys, best first: the guid (canonicalised when it is a URL, else prefixed `guid:`),
 * because a feed keeps an item's guid when it edits the headline and its URL; then the canonical
 * URL; then, for pages that carry neither, `hash:` + sha256 of title and source. The later keys
 * let an update find a story first stored under a weaker one.
 */
export function articleKeys(input: ArticleKeyInput): string[] {
  const keys: string[] = [];
  const guid = input.guid?.trim();
  if (guid) keys.push(canonicalUrl(guid) ?? `guid:${guid}`);
  const fromUrl = input.url ? canonicalUrl(input.url) : null;
  if (fromUrl && !keys.includes(fromUrl)) keys.push(fromUrl);
  if (keys.length > 0) return keys;
  const digest = createHash('sha256')
    .update(`${input.title.trim()}\n${input.source?.trim() ?? ''}`)
    .digest('hex');
  return [`hash:${digest}`];
}

/** The primary dedupe key (see {@link articleKeys}). */
export function articleKey(input: ArticleKeyInput): string {
  return articleKeys(input)[0]!;
}
