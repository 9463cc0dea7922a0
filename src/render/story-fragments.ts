import { createElement, Fragment, type ReactElement } from 'react';
import { ArticleItem, type ArticleItemProps, type DigestArticle } from '../../emails/_components/ArticleItem.js';

/**
 * Story markup rendered once and reused. A day's editions share their stories: a million readers
 * got 30,762 distinct editions of ~17 stories each from about a thousand stories, and each story
 * is most of an edition's elements. So a story the cache holds renders as a marker that is then
 * replaced with its markup; a story it lacks renders in place between two markers, and its markup
 * is taken from there into the cache. The result is byte for byte the whole-template render (a
 * golden test holds it to that). React escapes all text, so no story can forge a marker.
 */

/** A kept story's marker, or a story rendered in place between its begin and end markers. */
const STORY_MARKS = /<i data-story="(\d+)"><\/i>|<i data-story-begin="(\d+)"><\/i>([\s\S]*?)<i data-story-end=""><\/i>/g;

/** The story fields {@link ArticleItem} may read: the fragment is rendered from exactly these, so they are what a reuse compares. */
function storyProps({ article: a, fallbackUrl, lead }: ArticleItemProps): ArticleItemProps {
  const article: DigestArticle = { id: a.id, url: a.url, title: a.title, summary: a.summary, image: a.image, source: a.source, publishedAt: a.publishedAt, author: a.author };
  return { article, fallbackUrl, lead: lead ?? false };
}

/** One edition's use of the cache: the template's story component, then the splice. */
export interface EditionStories {
  /** Pass as the template's `story`: a marker for a kept story, else the story between markers. */
  Story: (props: ArticleItemProps) => ReactElement;
  /** The rendered template (image preloads already dropped) with its markers resolved. */
  fill(html: string): string;
}

/** A cache of rendered stories, bounded by the characters it holds. */
export interface StoryFragments {
  forEdition(): EditionStories;
  /** Fragments held now, for tests and diagnostics. */
  readonly size: number;
}

/**
 * Creates a story cache holding up to `maxChars` characters (markup counted twice, for the
 * story text each entry keeps). The default, 4 M characters (8 MB at most), holds about 1,000
 * stories, more than a day of 30 topics shows, within the render worker's 64 MB heap.
 */
export function createStoryFragments(maxChars = 4_000_000): StoryFragments {
  // Keyed by story id and lead flag; an entry is used only while every field it was rendered
  // from is still equal (a story edited during the day renders afresh and replaces it).
  const cache = new Map<string, { props: ArticleItemProps; html: string }>();
  let chars = 0;

  const keyOf = (props: ArticleItemProps) => `${props.article.id}:${props.lead ? 1 : 0}`;

  function cached(props: ArticleItemProps): string | undefined {
    const key = keyOf(props);
    const hit = cache.get(key);
    if (!hit) return undefined;
    cache.delete(key);
    if (!sameStory(hit.props, props)) {
      chars -= weight(hit.html);
      return undefined;
    }
    // Most recently used last, so eviction drops the stories of earlier in the day first.
    cache.set(key, hit);
    return hit.html;
  }

  function keep(props: ArticleItemProps, html: string): void {
    const key = keyOf(props);
    const old = cache.get(key);
    if (old) chars -= weight(old.html);
    cache.set(key, { props, html });
    chars += weight(html);
    for (const [oldKey, entry] of cache) {
      if (chars <= maxChars || oldKey === key) break;
      cache.delete(oldKey);
      chars -= weight(entry.html);
    }
  }

  // A story is kept from its second edition on: one seen once may never come back, and keeping
  // every such story only fed the garbage collector (16% of the CPU instead of 11% when no
  // story repeats). The names seen cost a few bytes each.
  const seenOnce = new Set<string>();

  function admit(props: ArticleItemProps, html: string): void {
    const key = keyOf(props);
    if (seenOnce.delete(key)) return keep(props, html);
    if (seenOnce.size >= SEEN_MAX) seenOnce.clear();
    seenOnce.add(key);
  }

  return {
    forEdition() {
      const stories: ArticleItemProps[] = [];
      const markup: Array<string | undefined> = [];
      return {
        Story(props) {
          const story = storyProps(props);
          const i = stories.push(story) - 1;
          markup[i] = cached(story);
          if (markup[i] !== undefined) return createElement('i', { 'data-story': String(i) });
          return createElement(Fragment, null, createElement('i', { 'data-story-begin': String(i) }), createElement(ArticleItem, story), createElement('i', { 'data-story-end': '' }));
        },
        fill: (html) =>
          html.replace(STORY_MARKS, (_mark, kept: string | undefined, fresh: string | undefined, rendered: string | undefined) => {
            if (kept !== undefined) return markup[Number(kept)]!;
            admit(stories[Number(fresh)]!, rendered!);
            return rendered!;
          }),
      };
    },
    get size() {
      return cache.size;
    },
  };
}

/** Stories remembered as seen once, before the list starts over. */
const SEEN_MAX = 100_000;

/** An entry's share of the budget: its markup, and as much again for the story text it keeps. */
const weight = (html: string) => 2 * html.length;

/** Equal props, compared field by field, into the article and its image. */
function sameStory(a: ArticleItemProps, b: ArticleItemProps): boolean {
  return a.fallbackUrl === b.fallbackUrl && a.lead === b.lead && sameFields(a.article, b.article);
}

function sameFields(a: object, b: object): boolean {
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  for (const k of keys) {
    const u = x[k];
    const v = y[k];
    if (u === v) continue;
    if (typeof u !== 'object' || typeof v !== 'object' || u === null || v === null || !sameFields(u, v)) return false;
  }
  return true;
}
