import { describe, expect, it } from 'vitest';
import { parseArticles } from '../../../src/ingest/import-articles.js';
import { jsonArticle } from '../../helpers/article-fixture.js';

/** JSON articles through the real entry point, as `articles import` and sources read them. */
const parseJsonArticles = (text: string, source: string) => parseArticles('json', text, source, () => undefined);

describe('priority in JSON article imports', () => {
  it('reads a numeric priority and leaves it out when absent', () => {
    const [a, b] = parseJsonArticles(JSON.stringify([jsonArticle({ priority: 2.5 }), jsonArticle()]), 'x.json');
    expect(a?.priority).toBe(2.5);
    expect(b).not.toHaveProperty('priority');
  });

  it('refuses a priority that is not a number, naming the item', () => {
    expect(() => parseJsonArticles(JSON.stringify([jsonArticle(), jsonArticle({ priority: 'high' })]), 'x.json')).toThrow(/item index 1.*priority/);
  });
});
