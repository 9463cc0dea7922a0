/** JSON article items for import tests: a valid default that a test overrides field by field. */
let counter = 0;

/** A valid JSON article object; `overrides` replace or add fields (undefined removes one). */
export function jsonArticle(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter++;
  const base: Record<string, unknown> = {
    url: `https://gazette.example/news/story-${counter}`,
    title: `Council approves new tram line ${counter}`,
    summary: 'The line will link the harbour to the university.',
    body: 'The council voted 31 to 4 in favour.\n\nConstruction starts next year.',
    topics: ['world'],
    published_at: '2025-03-01T08:00:00Z',
    source: 'Gazette',
  };
  const merged = { ...base, ...overrides };
  for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
  return merged;
}

/** Serialises items as NDJSON, one per line. */
export function ndjson(items: unknown[]): string {
  return items.map((i) => JSON.stringify(i)).join('\n') + '\n';
}
