import { createElement, Fragment, type ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { ArticleItem, type ArticleItemProps, type DigestArticle } from '../../emails/_components/ArticleItem.js';
import { withoutImagePreloads } from './static-render.js';

/**
 * Story markup rendered once and reused. A day's editions share their stories: a million readers
 * got 30,762 distinct editions of ~17 stories each from about a thousand stories, and each story
 * is most of an edition's elements. So the edition's template renders a marker per story, and
 * the markers are replaced with each story's markup, rendered by React on first use and kept
 * while there is room. The result is byte for byte the whole-template render (a golden test
 * holds it to that).
 */

/** Marks where a story's markup goes; React escapes all text, so no content can forge it. */
const STORY_MARK = /<i data-story="(\d+)"><\/i>/g;

/** The story fields {@link ArticleItem} may read: the fragment is rendered from exactly these, so they are what a reuse compares. */
function storyProps({ article: a, fallbackUrl, lead }: ArticleItemProps): ArticleItemProps {
  const article: DigestArticle = { id: a.id, url: a.url, title: a.title, summary: a.summary, image: a.image, source: a.source, publishedAt: a.publishedAt, author: a.author };
  return { article, fallbackUrl, lead: lead ?? false };
}

/** One edition's use of the cache: the template's story component, then the splice. */
export interface EditionStories {
  /** Pass as the template's `story`: records the story and renders its marker. */
  Story: (props: ArticleItemProps) => ReactElement;
  /** The rendered template with each marker replaced by its story's markup. */
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

  return {
    forEdition() {
      const stories: ArticleItemProps[] = [];
      return {
        Story(props) {
          stories.push(storyProps(props));
          return createElement('i', { 'data-story': String(stories.length - 1) });
        },
        fill(html) {
          const markup = stories.map(cached);
          const missing = stories.flatMap((props, i) => (markup[i] === undefined ? [i] : []));
          const rendered = missing.length > 0 ? renderStories(missing.map((i) => stories[i]!)) : [];
          missing.forEach((i, k) => keep(stories[i]!, (markup[i] = rendered[k]!)));
          return html.replace(STORY_MARK, (_mark, index: string) => markup[Number(index)]!);
        },
      };
    },
    get size() {
      return cache.size;
    },
  };
}

/** Marks the end of each story when several render in one pass. */
const STORY_END = '<i data-story-end=""></i>';

/** Renders stories in one React pass (a pass has a fixed cost of its own) and splits the markup. */
function renderStories(stories: ArticleItemProps[]): string[] {
  const elements = stories.flatMap((props, i) => [createElement(ArticleItem, { key: `s${i}`, ...props }), createElement('i', { key: `e${i}`, 'data-story-end': '' })]);
  return withoutImagePreloads(renderToStaticMarkup(createElement(Fragment, null, elements))).split(STORY_END).slice(0, stories.length);
}

/** An entry's share of the budget: its markup, and as much again for the story text it keeps. */
const weight = (html: string) => 2 * html.length;

/** Equal props, compared field by field one level into the article and its image. */
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
