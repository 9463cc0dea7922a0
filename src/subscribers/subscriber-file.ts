import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { AppError, messageOf } from '../errors.js';
import { parseCsv } from './csv.js';
import { show } from './show-value.js';

/**
 * Reads subscriber files (JSON or CSV) into raw rows that remember where they came from. Nothing
 * here checks addresses or topics; that is {@link validateSubscriberRow}'s job, so the same rules
 * apply to files and to `subscribers add`.
 */

/** The fields a subscriber file may carry, in CSV header order. */
export const SUBSCRIBER_FIELDS = ['email', 'name', 'topics', 'timezone', 'frequency', 'weekday', 'send_time'] as const;

/** A subscriber as read from a file, before validation. Field values are whatever the file held. */
export interface RawSubscriberRow {
  /** 1-based: the CSV line the record starts on, or the JSON array position. */
  row: number;
  /** How messages name the row: `line 4` (CSV) or `item 2` (JSON). */
  label: string;
  email?: unknown;
  name?: unknown;
  /** A list of slugs (CSV cells are split on `|` here). */
  topics?: unknown;
  timezone?: unknown;
  /** Reader choices (`frequency`, `weekday`, `send_time`); checked by src/subscriptions. */
  frequency?: unknown;
  weekday?: unknown;
  sendTime?: unknown;
  /** Problems with the row's shape (wrong field count, unknown field); when present, the fields are not checked. */
  problems: string[];
}

/** The two formats a subscriber file may be in. */
export type SubscriberFileFormat = 'json' | 'csv';

/**
 * Reads and parses a subscriber file. The format comes from the extension (`.json`, `.csv`), or
 * else from the first character: `[` or `{` means JSON.
 *
 * @throws AppError INPUT_UNREADABLE when the file cannot be read, INPUT_INVALID when it is not
 * well-formed JSON/CSV or its overall shape is wrong.
 */
export async function readSubscriberFile(path: string): Promise<{ format: SubscriberFileFormat; rows: RawSubscriberRow[] }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new AppError('INPUT_UNREADABLE', `cannot read ${path}: ${messageOf(cause)}`, { cause, hint: 'check the path and its permissions' });
  }
  const format = detectFormat(path, text);
  try {
    return { format, rows: parseSubscriberText(text, format) };
  } catch (err) {
    if (err instanceof AppError && err.code === 'INPUT_INVALID') {
      throw new AppError('INPUT_INVALID', `${path}: ${err.message}`, { cause: err.cause, hint: err.hint, details: err.details });
    }
    throw err;
  }
}

/** Parses subscriber text in the given format; see {@link readSubscriberFile}. */
export function parseSubscriberText(text: string, format: SubscriberFileFormat): RawSubscriberRow[] {
  return format === 'json' ? parseJsonRows(text) : parseCsvRows(text);
}

function detectFormat(path: string, text: string): SubscriberFileFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.csv') return 'csv';
  return /^\uFEFF?\s*[[{]/.test(text) ? 'json' : 'csv';
}

const JSON_HINT = 'expected an array of {email, name?, topics: [...], timezone?, frequency?, weekday?, send_time?} or {"subscribers": [...]}; see docs/subscribers.md';

function parseJsonRows(text: string): RawSubscriberRow[] {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (cause) {
    throw new AppError('INPUT_INVALID', `not valid JSON: ${messageOf(cause)}`, { cause, hint: JSON_HINT });
  }
  const items = Array.isArray(data) ? data : isObject(data) && Array.isArray(data.subscribers) ? data.subscribers : undefined;
  if (!items) throw new AppError('INPUT_INVALID', 'the JSON is not a list of subscribers', { hint: JSON_HINT });
  return items.map((item: unknown, index: number): RawSubscriberRow => {
    const base = { row: index + 1, label: `item ${index + 1}` };
    if (!isObject(item)) return { ...base, problems: ['is not an object like {"email": …, "topics": […]}'] };
    const unknown = Object.keys(item).filter((k) => !(SUBSCRIBER_FIELDS as readonly string[]).includes(k));
    const problems = unknown.map((k) => `has an unknown field ${show(k)} (expected ${SUBSCRIBER_FIELDS.join(', ')})`);
    return { ...base, email: item.email, name: item.name, topics: item.topics, timezone: item.timezone, ...choiceFields(item.frequency, item.weekday, item.send_time), problems };
  });
}

function parseCsvRows(text: string): RawSubscriberRow[] {
  const [header, ...records] = parseCsv(text);
  if (!header) throw new AppError('INPUT_INVALID', 'the CSV file is empty', { hint: `start it with the header line ${SUBSCRIBER_FIELDS.join(',')}` });
  const columns = header.fields.map((f) => f.trim().toLowerCase());
  checkHeader(columns, header.line);
  return records.map((record): RawSubscriberRow => {
    const base = { row: record.line, label: `line ${record.line}` };
    if (record.fields.length !== columns.length) {
      // A stray unquoted comma shifts every later cell, so checking the cells would only mislead.
      return { ...base, problems: [`has ${record.fields.length} fields but the header has ${columns.length} (quote fields that contain commas)`] };
    }
    const cell = (name: string): string | undefined => {
      const at = columns.indexOf(name);
      return at < 0 ? undefined : record.fields[at];
    };
    const topics = cell('topics');
    return {
      ...base,
      email: cell('email'),
      name: cell('name'),
      topics: topics === undefined ? undefined : topics.split('|'),
      timezone: cell('timezone'),
      ...choiceFields(cell('frequency'), cell('weekday'), cell('send_time')),
      problems: [],
    };
  });
}

function checkHeader(columns: string[], line: number): void {
  const problems: string[] = [];
  for (const c of columns) {
    if (!(SUBSCRIBER_FIELDS as readonly string[]).includes(c)) problems.push(`unknown column ${show(c)}`);
  }
  for (const c of new Set(columns)) {
    if (columns.indexOf(c) !== columns.lastIndexOf(c)) problems.push(`column ${show(c)} appears twice`);
  }
  for (const required of ['email', 'topics']) {
    if (!columns.includes(required)) problems.push(`column ${show(required)} is missing`);
  }
  if (problems.length > 0) {
    throw new AppError('INPUT_INVALID', `line ${line}: the CSV header is wrong (${problems.join('; ')})`, {
      hint: `the header must name columns from ${SUBSCRIBER_FIELDS.join(',')}; email and topics are required`,
    });
  }
}

/** The choice fields present in the source; absent ones stay absent so an update keeps them. */
function choiceFields(frequency: unknown, weekday: unknown, sendTime: unknown): Pick<RawSubscriberRow, 'frequency' | 'weekday' | 'sendTime'> {
  return { ...(frequency !== undefined ? { frequency } : {}), ...(weekday !== undefined ? { weekday } : {}), ...(sendTime !== undefined ? { sendTime } : {}) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
