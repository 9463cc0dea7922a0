import { AppError } from '../errors.js';

/**
 * A small RFC 4180 reader. No CSV package is installed, and subscriber files are small enough
 * that a single pass over the text is simpler than a streaming parser.
 */

/** One CSV record and the file line it starts on (1-based), so errors can point at it. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/**
 * Splits CSV text into records. Handles a leading BOM, CRLF/LF/CR line endings, quoted fields
 * holding commas, line breaks and doubled quotes, and skips blank lines (line numbers still count
 * them). Leniencies for hand-edited files: spaces before an opening quote or after a closing one
 * are ignored, and a quote inside an unquoted field is kept as a literal character.
 *
 * @throws AppError INPUT_INVALID for an unterminated quote or text after a closing quote.
 */
export function parseCsv(text: string): CsvRecord[] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let line = 1;
  let i = 0;

  while (i < src.length) {
    const start = line;
    const fields: string[] = [];
    let quotedAny = false;
    // One iteration per field until the record's line break (or the end of the text).
    for (;;) {
      let field = '';
      let j = i;
      while (j < src.length && (src[j] === ' ' || src[j] === '\t')) j++;
      if (src[j] === '"') {
        quotedAny = true;
        const quoteLine = line;
        i = j + 1;
        for (;;) {
          if (i >= src.length) {
            throw new AppError('INPUT_INVALID', `line ${quoteLine}: a quoted field is never closed`, {
              hint: 'close the quote; write a quote inside a quoted field as two quotes ("")',
            });
          }
          const c = src[i]!;
          if (c === '"') {
            if (src[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\r' || c === '\n') {
            line++;
            if (c === '\r' && src[i + 1] === '\n') {
              field += '\r\n';
              i += 2;
              continue;
            }
          }
          field += c;
          i++;
        }
        while (i < src.length && (src[i] === ' ' || src[i] === '\t')) i++;
        if (i < src.length && src[i] !== ',' && src[i] !== '\r' && src[i] !== '\n') {
          throw new AppError('INPUT_INVALID', `line ${line}: unexpected text after a closing quote`, {
            hint: 'quote the whole field, and write a quote inside it as two quotes ("")',
          });
        }
      } else {
        while (i < src.length && src[i] !== ',' && src[i] !== '\r' && src[i] !== '\n') field += src[i++];
      }
      fields.push(field);
      if (src[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    // At a line break or the end: consume the break so the next record starts on the next line.
    if (src[i] === '\r') i += src[i + 1] === '\n' ? 2 : 1;
    else if (src[i] === '\n') i++;
    line++;
    const blank = !quotedAny && fields.length === 1 && fields[0]!.trim() === '';
    if (!blank) records.push({ line: start, fields });
  }
  return records;
}
