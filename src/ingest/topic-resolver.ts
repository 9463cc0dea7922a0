import type { Topic } from '../model/topic.js';

/** Maps a topic label (slug or display name, any case) to its catalogue slug. */
export type TopicResolver = (label: string) => string | undefined;

/**
 * Builds a resolver over the catalogue. Feeds label categories by name ("Ukraine war") as often
 * as by slug, so both are accepted; whitespace is collapsed and case ignored.
 */
export function createTopicResolver(topics: readonly Pick<Topic, 'slug' | 'name'>[]): TopicResolver {
  const norm = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();
  const bySlug = new Map(topics.map((t) => [norm(t.slug), t.slug]));
  const byName = new Map(topics.map((t) => [norm(t.name), t.slug]));
  return (label) => bySlug.get(norm(label)) ?? byName.get(norm(label));
}
