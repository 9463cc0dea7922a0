import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.js';
import { parseSubscriberText } from '../../../src/subscribers/subscriber-file.js';

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected an error');
}

describe('parseSubscriberText: CSV', () => {
  it('numbers rows by file line, splits topics on |, and leaves absent columns undefined', () => {
    const rows = parseSubscriberText('email,topics\n\na@example.com,world|tech\nb@example.com,sport\n', 'csv');
    expect(rows).toEqual([
      { row: 3, label: 'line 3', email: 'a@example.com', name: undefined, topics: ['world', 'tech'], timezone: undefined, problems: [] },
      { row: 4, label: 'line 4', email: 'b@example.com', name: undefined, topics: ['sport'], timezone: undefined, problems: [] },
    ]);
  });

  it('accepts columns in any order and any case, with a BOM and CRLF', () => {
    const rows = parseSubscriberText('\uFEFFTimezone, Topics ,EMAIL,Name\r\nAsia/Singapore,asia,a@example.com,"Tan, Mei"\r\n', 'csv');
    expect(rows[0]).toMatchObject({ row: 2, email: 'a@example.com', name: 'Tan, Mei', topics: ['asia'], timezone: 'Asia/Singapore' });
  });

  it('reports a row with the wrong number of fields as a row problem, at the line it starts on', () => {
    const rows = parseSubscriberText('email,name,topics,timezone\n"a@example.com","two\nlines",world\nb@example.com,,world,\n', 'csv');
    expect(rows[0]).toMatchObject({ row: 2, problems: [expect.stringMatching(/3 fields but the header has 4/)] });
    expect(rows[1]).toMatchObject({ row: 4, problems: [] });
  });

  it.each([
    ['', /empty/],
    ['email,name\n', /"topics" is missing/],
    ['email,topics,topic\n', /unknown column "topic"/],
    ['email,topics,email\n', /"email" appears twice/],
  ])('refuses a bad header in %j', (text, message) => {
    const err = errorOf(() => parseSubscriberText(text, 'csv'));
    expect(err.code).toBe('INPUT_INVALID');
    expect(err.message).toMatch(message);
  });
});

describe('parseSubscriberText: JSON', () => {
  it('reads a bare array and the {subscribers: [...]} form, numbering items from 1', () => {
    const item = { email: 'a@example.com', topics: ['world'] };
    for (const text of [JSON.stringify([item, item]), JSON.stringify({ subscribers: [item, item] })]) {
      const rows = parseSubscriberText(text, 'json');
      expect(rows.map((r) => r.label)).toEqual(['item 1', 'item 2']);
      expect(rows[1]).toMatchObject({ row: 2, email: 'a@example.com', topics: ['world'], problems: [] });
      expect('name' in rows[1]! && rows[1]!.name).toBe(undefined);
    }
  });

  it('reports non-objects and unknown fields per item', () => {
    const rows = parseSubscriberText(JSON.stringify([42, { email: 'a@example.com', topics: ['world'], tz: 'UTC' }]), 'json');
    expect(rows[0]!.problems).toEqual([expect.stringMatching(/not an object/)]);
    expect(rows[1]!.problems).toEqual([expect.stringMatching(/unknown field "tz"/)]);
  });

  it.each([
    ['{"email": ', /not valid JSON/],
    ['{"people": []}', /not a list of subscribers/],
    ['"a@example.com"', /not a list of subscribers/],
  ])('refuses %j', (text, message) => {
    const err = errorOf(() => parseSubscriberText(text, 'json'));
    expect(err.code).toBe('INPUT_INVALID');
    expect(err.message).toMatch(message);
  });
});
