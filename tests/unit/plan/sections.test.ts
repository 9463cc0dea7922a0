import { describe, expect, it } from 'vitest';
import { buildSections } from '../../../src/plan/sections.js';
import { editionKey } from '../../../src/plan/edition-key.js';
import { makeArticle as storedArticle } from '../../helpers/edition-fixtures.js';

const china = { slug: 'china', name: 'China' };
const taiwan = { slug: 'taiwan', name: 'Taiwan' };
const tech = { slug: 'tech', name: 'Tech' };

describe('buildSections', () => {
  it('makes one section per followed topic in the given order, skipping empty ones', () => {
    const a = storedArticle({ topics: ['taiwan'] });
    const b = storedArticle({ topics: ['china'] });
    const sections = buildSections([b, a], [china, tech, taiwan], 5);
    expect(sections.map((s) => s.topic.slug)).toEqual(['china', 'taiwan']);
    expect(sections[0]!.articles.map((x) => x.id)).toEqual([b.id]);
  });

  it('puts an article matching several followed topics only in its first section', () => {
    const both = storedArticle({ topics: ['taiwan', 'china'] });
    const sections = buildSections([both], [china, taiwan], 5);
    expect(sections).toHaveLength(1);
    expect(sections[0]!.topic.slug).toBe('china');
  });

  it('caps each section and keeps the given (newest first) order', () => {
    const list = [1, 2, 3, 4].map(() => storedArticle({ topics: ['tech'] }));
    const sections = buildSections(list, [tech], 2);
    expect(sections[0]!.articles).toEqual(list.slice(0, 2));
  });

  it('lets a capped-out article fall through to a later section', () => {
    const list = [1, 2, 3].map(() => storedArticle({ topics: ['china', 'taiwan'] }));
    const sections = buildSections(list, [china, taiwan], 2);
    expect(sections[0]!.articles.map((a) => a.id)).toEqual([list[0]!.id, list[1]!.id]);
    expect(sections[1]!.articles.map((a) => a.id)).toEqual([list[2]!.id]);
  });

  it('leaves out excluded (already sent) articles', () => {
    const a = storedArticle({ topics: ['china'] });
    const b = storedArticle({ topics: ['china'] });
    expect(buildSections([a, b], [china], 5, new Set([a.id]))[0]!.articles).toEqual([b]);
    expect(buildSections([a], [china], 5, new Set([a.id]))).toEqual([]);
  });
});

describe('editionKey', () => {
  it('is equal for equal content and different otherwise', () => {
    const a = storedArticle({ topics: ['china'] });
    const b = storedArticle({ topics: ['china'] });
    const s1 = buildSections([a, b], [china], 5);
    const s2 = buildSections([a, b], [china], 5);
    expect(editionKey('2026-11-27', s1)).toBe(editionKey('2026-11-27', s2));
    expect(editionKey('2026-11-27', s1)).not.toBe(editionKey('2026-11-28', s1));
    expect(editionKey('2026-11-27', s1)).not.toBe(editionKey('2026-11-27', buildSections([a], [china], 5)));
    expect(editionKey('2026-11-27', s1)).toMatch(/^2026-11-27-[A-Za-z0-9_-]{16}$/);
  });
});
