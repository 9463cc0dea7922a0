import { randomBytes } from 'node:crypto';
import type { MessageParts, PersonalValues } from '../../model/edition.js';
import { personalValuesByPart, splitAtTokens, type SplitTemplate } from '../../render/personalise.js';
import { listHeaders } from '../headers.js';
import type { ListHeaders } from '../mailer.js';
import { formatMailbox, headerLine, parseMailboxes, rfc5322Date, unstructured, type Mailbox } from './header-encoding.js';
import { encodeQuotedPrintable, isRelaxedCanonical, relaxedBodyLines } from './quoted-printable.js';

/**
 * An edition's MIME message encoded once (multipart/alternative, text then HTML, both
 * quoted-printable UTF-8), with each reader's values spliced into the encoded bytes. nodemailer
 * rebuilt and re-encoded 26 KB per reader (about 1.2 ms); a splice is a few short encodes and a
 * join. Personal values always sit on encoded lines of their own (see quoted-printable.ts).
 */

/** Who the edition comes from. */
export interface EditionSender {
  from: string;
  replyTo?: string;
}

/** One reader's message: the values to splice and the per-message headers. */
export interface SpliceInput {
  to: Mailbox;
  values: PersonalValues;
  /** `<id@domain>`, fresh per attempt. */
  messageId: string;
  date: Date;
  list?: ListHeaders;
  /** Extra headers, e.g. X-Entity-Ref-ID; sanitised against CR/LF. */
  headers?: Record<string, string>;
}

/** A message as header lines and body segments, ready to sign and write. */
export interface MimeMessage {
  /** Header fields, each CRLF-terminated, without the blank line that ends the block. */
  headers: string;
  /** The body, in segments that each end on a line boundary. */
  body: string[];
  /** Each body segment in DKIM relaxed form, for the per-message body hash; computed on first use. */
  canonicalBody(): string[];
  /**
   * True when the body is already its own relaxed canonical form (the encoder makes it so): DKIM
   * then hashes the bytes as sent, and `canonicalBody` is never needed.
   */
  canonical: boolean;
  /** The body as buffers: the edition's fixed segments are shared, so a message adds only its values. */
  bodyBuffers(): Buffer[];
  /** `head` (header lines and the blank line after them) and the body, written into one new buffer. */
  withHead(head: string): Buffer;
  /** The bare recipient address, for the SMTP envelope. */
  recipient: string;
}

/** An edition encoded once; `message` splices one reader in. */
export interface EncodedEdition {
  message(input: SpliceInput): MimeMessage;
}

type Part = 'text' | 'html';
/** Fixed encoded text, or a reader's value for one field of one part. */
type Step = { fixed: string; canonical?: string; bytes?: Buffer } | { part: Part; field: SplitTemplate['fields'][number] };

/** A fixed segment's bytes, made on first use and shared by every reader of the edition. */
function fixedBytes(step: { fixed: string; bytes?: Buffer }): Buffer {
  return (step.bytes ??= Buffer.from(step.fixed, 'latin1'));
}

function fixed(text: string): Step {
  return { fixed: text };
}

/** Lays out one part: its MIME headers, then literals (encoded once) and value slots. */
function partSteps(boundary: string, contentType: string, split: SplitTemplate, part: Part, closing: string): (string | Step)[] {
  const out: (string | Step)[] = [`--${boundary}\r\nContent-Type: ${contentType}; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n`];
  split.literals.forEach((literal, i) => {
    const last = i === split.fields.length;
    // The last literal ends with the CRLF that belongs to the next boundary delimiter.
    out.push(encodeQuotedPrintable(literal, !last) + (last ? `\r\n${closing}` : ''));
    if (!last) out.push({ part, field: split.fields[i]! });
  });
  return out;
}

/** Merges adjacent fixed strings so a message is as few segments as there are personal values. */
function compact(items: (string | Step)[]): Step[] {
  const steps: Step[] = [];
  let pending = '';
  for (const item of items) {
    if (typeof item === 'string') pending += item;
    else {
      if (pending) steps.push(fixed(pending));
      pending = '';
      steps.push(item);
    }
  }
  if (pending) steps.push(fixed(pending));
  return steps;
}

function editionHeaders(sender: EditionSender, boundary: string): { before: string; after: string } {
  const from = parseMailboxes(sender.from).map(formatMailbox).join(', ');
  const replyTo = sender.replyTo ? headerLine('Reply-To', parseMailboxes(sender.replyTo).map(formatMailbox).join(', ')) : '';
  return {
    before: headerLine('From', from),
    after: replyTo + 'MIME-Version: 1.0\r\n' + `Content-Type: multipart/alternative;\r\n boundary="${boundary}"\r\n`,
  };
}

/** Encodes a rendered edition (still holding personal tokens) once, for many readers. */
export function encodeEdition(parts: MessageParts, sender: EditionSender): EncodedEdition {
  // "=_" can never occur in quoted-printable output, so the boundary cannot collide with content.
  const boundary = `=_td_${randomBytes(12).toString('hex')}`;
  const steps = compact([
    ...partSteps(boundary, 'text/plain', splitAtTokens(parts.text), 'text', ''),
    ...partSteps(boundary, 'text/html', splitAtTokens(parts.html), 'html', `--${boundary}--\r\n`),
  ]);
  const subject = splitAtTokens(parts.subject);
  const fixedSubject = subject.fields.length === 0 ? headerLine('Subject', unstructured(parts.subject)) : undefined;
  const head = editionHeaders(sender, boundary);
  // Checked once per edition. Readers' values need no check: the encoder's output is always in
  // relaxed form (quoted-printable.ts, tested on random text). A body ending in empty lines would
  // be canonicalised shorter, so it is hashed the slow way too.
  const last = steps[steps.length - 1];
  const fixedCanonical = last !== undefined && 'fixed' in last && last.fixed.endsWith('\r\n') && !last.fixed.endsWith('\r\n\r\n') && steps.every((step) => !('fixed' in step) || isRelaxedCanonical(step.fixed));

  return {
    message(input) {
      const values = personalValuesByPart(input.values);
      const body: string[] = [];
      // A link the HTML carries three times is encoded once per reader: it always starts a line.
      const encodedValues: Record<Part, Partial<Record<SplitTemplate['fields'][number], string>>> = { text: {}, html: {} };
      for (const step of steps) {
        if ('fixed' in step) body.push(step.fixed);
        else {
          let encoded = encodedValues[step.part][step.field];
          if (encoded === undefined) {
            encoded = encodedValues[step.part][step.field] = encodeQuotedPrintable(values[step.part][step.field], true);
          }
          body.push(encoded);
        }
      }
      // Only DKIM needs the canonical form; an edition's fixed segments are canonicalised once.
      const canonicalBody = () => steps.map((step, i) => ('fixed' in step ? (step.canonical ??= relaxedBodyLines(step.fixed)) : relaxedBodyLines(body[i]!)));
      // Quoted-printable output is ASCII, so latin1 is exact and costs no UTF-8 scan.
      const bodyBuffers = () => steps.map((step, i) => ('fixed' in step ? fixedBytes(step) : Buffer.from(body[i]!, 'latin1')));
      // One allocation per message: the values go straight into it, with no buffer of their own.
      const withHead = (head: string) => {
        let length = Buffer.byteLength(head, 'utf8');
        steps.forEach((step, i) => (length += 'fixed' in step ? fixedBytes(step).length : body[i]!.length));
        const out = Buffer.allocUnsafe(length);
        let at = out.write(head, 0, 'utf8');
        steps.forEach((step, i) => (at += 'fixed' in step ? fixedBytes(step).copy(out, at) : out.write(body[i]!, at, 'latin1')));
        return out;
      };
      let subjectLine = fixedSubject;
      if (subjectLine === undefined) {
        let text = subject.literals[0]!;
        subject.fields.forEach((f, i) => (text += values.subject[f] + subject.literals[i + 1]!));
        subjectLine = headerLine('Subject', unstructured(text));
      }
      let headers = head.before + headerLine('To', formatMailbox(input.to)) + subjectLine;
      headers += headerLine('Message-ID', input.messageId.replace(/[^\x21-\x7e]/g, '')) + headerLine('Date', rfc5322Date(input.date));
      if (input.list) for (const [k, v] of Object.entries(listHeaders(input.list))) headers += headerLine(k, unstructured(v));
      for (const [k, v] of Object.entries(input.headers ?? {})) headers += headerLine(k.replace(/[^\x21-\x39\x3b-\x7e]/g, ''), unstructured(v));
      headers += head.after;
      return { headers, body, canonicalBody, canonical: fixedCanonical, bodyBuffers, withHead, recipient: formatMailbox({ address: input.to.address }) };
    },
  };
}

/**
 * The whole message as bytes: optional leading header lines (DKIM-Signature), headers, body.
 * Copied once into one buffer from the edition's shared segment buffers: no 60 KB string per
 * reader lands on the V8 heap.
 */
export function messageBytes(message: MimeMessage, leading = ''): Buffer {
  return message.withHead(leading + message.headers + '\r\n');
}
