/** "China", "China and Taiwan", "China, Taiwan and Climate": topic lists read as prose. */
export function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}
