import type { Topic } from '../model/topic.js';
import { createKeywordTagger, type TaggableText } from './keyword-tagger.js';

/**
 * "What would this tag": runs a topic's old and new keyword rules over a set of articles with
 * the import's own tagger, and says which articles the change would start or stop tagging. A
 * topic's score does not depend on the other topics, so a one-topic tagger decides exactly as
 * the whole catalogue's does.
 */

/** The rules of one topic that the tagger reads. */
export type TopicRules = Pick<Topic, 'slug' | 'name' | 'keywords'>;

/** The outcome of {@link tagCheck}, in the articles' order. */
export interface TagCheck<A> {
  /** How many articles were checked. */
  checked: number;
  /** How many the old and the new rules tag. */
  before: number;
  after: number;
  /** Tagged by the new rules and not the old. */
  added: A[];
  /** Tagged by the old rules and not the new. */
  removed: A[];
}

/** Compares what `before` and `after` (the same topic) would tag among `articles`. */
export function tagCheck<A extends TaggableText>(articles: readonly A[], before: TopicRules, after: TopicRules): TagCheck<A> {
  const oldTagger = createKeywordTagger([before]);
  const newTagger = createKeywordTagger([after]);
  const out: TagCheck<A> = { checked: articles.length, before: 0, after: 0, added: [], removed: [] };
  for (const article of articles) {
    const was = oldTagger.tag(article).length > 0;
    const is = newTagger.tag(article).length > 0;
    if (was) out.before++;
    if (is) out.after++;
    if (is && !was) out.added.push(article);
    if (was && !is) out.removed.push(article);
  }
  return out;
}
