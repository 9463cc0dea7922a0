import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.js';
import { parseTopicFile, validateTopicEdit } from '../../../src/topics/topic-file.js';

describe('parseTopicFile', () => {
  it('accepts an array or {topics: [...]} and fills defaults', () => {
    const topics = [{ slug: 'space', name: ' Space ', keywords: ['NASA', 'rocket'] }, { slug: 'arts-and-culture', name: 'Arts', description: '' }];
    const expected = [
      { slug: 'space', name: 'Space', description: null, keywords: ['NASA', 'rocket'] },
      { slug: 'arts-and-culture', name: 'Arts', description: null, keywords: [] },
    ];
    expect(parseTopicFile(JSON.stringify(topics), 't.json')).toEqual(expected);
    expect(parseTopicFile(JSON.stringify({ topics }), 't.json')).toEqual(expected);
  });

  it('reports every bad item by index', () => {
    const text = JSON.stringify([
      { slug: 'ok', name: 'OK' },
      { slug: 'Not Kebab', name: 'x' },
      { slug: 'no-name' },
      { slug: 'ok', name: 'again' },
      { slug: 'kw', name: 'K', keywords: ['', 3] },
    ]);
    let err: AppError | undefined;
    try {
      parseTopicFile(text, 'topics.json');
    } catch (e) {
      err = e as AppError;
    }
    expect(err?.code).toBe('INPUT_INVALID');
    expect(err?.message).toContain('topics.json');
    expect(err?.details).toEqual([
      'item index 1: slug: must be kebab-case, e.g. "us-politics"',
      expect.stringMatching(/^item index 2: name: /),
      'item index 3: slug "ok" repeats item index 0',
      'item index 4: keywords.0: must not be empty',
      expect.stringMatching(/^item index 4: keywords\.1: /),
    ]);
  });

  it('rejects a file that is not a list of topics, and bad JSON with its position', () => {
    expect(() => parseTopicFile('{"slug": "x"}', 't.json')).toThrow(/t\.json: 1 problem/);
    expect(() => parseTopicFile('[\n{"slug": }\n]', 't.json')).toThrow(/^t\.json:2:10: invalid JSON/);
  });
});

describe('the topic limits, shared by the file import and the console', () => {
  it('a topic file with an over-long name or too many keywords is refused', () => {
    const text = JSON.stringify([{ slug: 'a', name: 'n'.repeat(81) }, { slug: 'b', name: 'B', keywords: Array.from({ length: 101 }, (_, i) => `k${i}`) }]);
    expect(() => parseTopicFile(text, 't.json')).toThrow(AppError);
    try {
      parseTopicFile(text, 't.json');
    } catch (e) {
      expect((e as AppError).details).toEqual(['item index 0: name: must be at most 80 characters', 'item index 1: keywords: at most 100 keywords']);
    }
  });

  it('validateTopicEdit applies the same rules and keeps the slug', () => {
    expect(validateTopicEdit('tech', { name: ' Tech ', description: '  ', keywords: ['AI'] })).toEqual({ topic: { slug: 'tech', name: 'Tech', description: null, keywords: ['AI'] } });
    expect(validateTopicEdit('tech', { name: '', description: null, keywords: ['x'.repeat(81)] })).toEqual({ problems: ['name: must not be empty', 'keywords.0: must be at most 80 characters'] });
    expect(validateTopicEdit('tech', { name: 'Tech\r\nBcc: x', description: null, keywords: ['a\tb'] })).toEqual({
      problems: ['name: must be one line of text, without control characters', 'keywords.0: must be one line of text, without control characters'],
    });
  });
});
