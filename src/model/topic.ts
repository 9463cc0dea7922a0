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
