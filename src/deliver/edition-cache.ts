/**
 * A small least-recently-used map of loaded editions, keyed by edition key. Claims come ordered
 * by edition, so a few dozen entries hit almost always; the bound matters because each entry can
 * hold an encoded edition. The value is the load's promise, so concurrent workers wanting the
 * same edition share one load.
 */
export class EditionCache<T> {
  private readonly entries = new Map<string, Promise<T>>();

  constructor(
    private readonly load: (key: string) => Promise<T>,
    private readonly capacity = 64,
  ) {}

  /** The entry for `key`, loading it on a miss and evicting the least recently used beyond capacity. */
  get(key: string): Promise<T> {
    let entry = this.entries.get(key);
    if (entry) {
      // Re-inserted: a Map iterates in insertion order, so its first key is the least recently used.
      this.entries.delete(key);
    } else {
      entry = this.load(key);
      if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.set(key, entry);
    return entry;
  }
}
