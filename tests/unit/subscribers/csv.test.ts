import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.js';
import { parseCsv } from '../../../src/subscribers/csv.js';

const fieldsOf = (text: string) => parseCsv(text).map((r) => r.fields);

describe('parseCsv', () => {
  it('splits plain records and numbers them by line', () => {
    expect(parseCsv('a,b,c\n1,2,3\n')).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', '2', '3'] },
    ]);
  });

  it('reads quoted fields with commas, doubled quotes and empty quoted fields', () => {
    expect(fieldsOf('"Smith, Jo","say ""hi""","",x\n')).toEqual([['Smith, Jo', 'say "hi"', '', 'x']]);
  });

  it('keeps line breaks inside quotes and counts them for the next record', () => {
    const records = parseCsv('h1,h2\n"two\nlines",x\nnext,y\n');
    expect(records[1]).toEqual({ line: 2, fields: ['two\nlines', 'x'] });
    expect(records[2]).toEqual({ line: 4, fields: ['next', 'y'] });
  });

  it('handles CRLF and lone CR line endings', () => {
    expect(parseCsv('a,b\r\n1,2\r\n"x\r\ny",3\r\nlast,4')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
      { line: 3, fields: ['x\r\ny', '3'] },
      { line: 5, fields: ['last', '4'] },
    ]);
    expect(fieldsOf('a,b\r1,2\r')).toEqual([['a', 'b'], ['1', '2']]);
  });

  it('strips a byte-order mark from the first field', () => {
    expect(parseCsv('\uFEFFemail,topics\n')[0]!.fields[0]).toBe('email');
  });

  it('skips blank lines but keeps counting them', () => {
    expect(parseCsv('a\n\n\nb\r\n\r\n  \nc')).toEqual([
      { line: 1, fields: ['a'] },
      { line: 4, fields: ['b'] },
      { line: 7, fields: ['c'] },
    ]);
  });

  it('keeps a record of empty fields and a quoted empty line', () => {
    expect(fieldsOf(',,\n""\n')).toEqual([['', '', ''], ['']]);
  });

  it('tolerates spaces around quoted fields and literal quotes inside unquoted ones', () => {
    expect(fieldsOf('a, "b, c" ,O"Brien\n')).toEqual([['a', 'b, c', 'O"Brien']]);
  });

  it('returns nothing for empty text', () => {
    expect(parseCsv('')).toEqual([]);
    expect(parseCsv('\uFEFF')).toEqual([]);
  });

  it.each([
    ['a,b\n1,"never closed\n2,3\n', /line 2: a quoted field is never closed/],
    ['a,b\n"x"y,2\n', /line 2: unexpected text after a closing quote/],
  ])('refuses malformed quoting in %j with its line', (text, message) => {
    expect(() => parseCsv(text)).toThrow(message);
    try {
      parseCsv(text);
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('INPUT_INVALID');
    }
  });
});
