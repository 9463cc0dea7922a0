/** A topic readers can follow. `keywords` drive tagging of articles that arrive without topics. */
export interface Topic {
  slug: string;
  name: string;
  description: string | null;
  keywords: string[];
  /** Catalogue order; digest sections follow it. */
  position: number;
}

/** A topic as a catalogue file or a caller supplies it. */
export interface TopicInput {
  slug: string;
  name: string;
  description?: string | null;
  keywords?: string[];
}

/** Topic display names for slugs, in catalogue order. */
export function topicNames(catalogue: readonly Topic[], slugs: readonly string[]): string[] {
  const set = new Set(slugs);
  return catalogue.filter((t) => set.has(t.slug)).map((t) => t.name);
}
