import { createElement, type ReactElement } from 'react';
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

/** The story fields {@link ArticleItem} may read: the fragment is rendered from exactly these, so they are the whole key. */
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

/** A cache of rendered stories, bounded by the characters it holds (keys and markup). */
export interface StoryFragments {
  forEdition(): EditionStories;
  /** Fragments held now, for tests and diagnostics. */
  readonly size: number;
}

/**
 * Creates a story cache holding up to `maxChars` characters. The default, 2 M characters (4 MB
 * or less), holds a whole day's stories within the render worker's 64 MB heap.
 */
export function createStoryFragments(maxChars = 2_000_000): StoryFragments {
  const cache = new Map<string, string>();
  let chars = 0;

  function fragment(props: ArticleItemProps): string {
    const key = JSON.stringify(props);
    let html = cache.get(key);
    if (html !== undefined) {
      // Most recently used last, so eviction drops the stories of earlier in the day first.
      cache.delete(key);
      cache.set(key, html);
      return html;
    }
    html = withoutImagePreloads(renderToStaticMarkup(createElement(ArticleItem, props)));
    cache.set(key, html);
    chars += key.length + html.length;
    for (const [oldKey, oldHtml] of cache) {
      if (chars <= maxChars || oldKey === key) break;
      cache.delete(oldKey);
      chars -= oldKey.length + oldHtml.length;
    }
    return html;
  }

  return {
    forEdition() {
      const stories: ArticleItemProps[] = [];
      return {
        Story(props) {
          stories.push(storyProps(props));
          return createElement('i', { 'data-story': String(stories.length - 1) });
        },
        fill: (html) => html.replace(STORY_MARK, (_mark, index: string) => fragment(stories[Number(index)]!)),
      };
    },
    get size() {
      return cache.size;
    },
  };
}
