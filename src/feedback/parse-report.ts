import { simpleParser, type ParsedMail } from 'mailparser';
import { addressesIn, fieldBlocks, headerValues, isoDate, typedAddress, typedText, type FieldBlock } from './fields.js';
import { noRefs, type FeedbackRefs, type FeedbackReport } from './report.js';
import { bounceKind, describeStatus } from './status-codes.js';
import { readTextBounce } from './text-bounce.js';

/**
 * Reads one message that arrived at the bounce address and says what it is: an RFC 3464 DSN, an
 * RFC 5965 ARF complaint, a known non-standard bounce (Postfix, Exim, qmail, Exchange text), an
 * auto-reply, or something else. It never throws for odd content: anything it cannot make sense
 * of is `ignored` with the reason, so the caller can always record that it read the message.
 */
export async function readFeedbackMessage(raw: Buffer | string): Promise<FeedbackReport> {
  const mail: ParsedMail = await simpleParser(raw, { keepDeliveryStatus: true, skipHtmlToText: true, skipImageLinks: true, skipTextToHtml: true });
  const header = (name: string) => mail.headerLines.filter((h) => h.key === name).map((h) => h.line.slice(h.line.indexOf(':') + 1).trim());
  const parts = partsOf(mail);
  // mailparser folds an inline message/rfc822 into the text and drops its Message-ID, so the
  // returned message's headers are also looked for in the raw body (they are 7bit by RFC 2046).
  const text = typeof raw === 'string' ? raw : raw.toString('utf8');
  const rawBody = text.slice((/\r?\n\r?\n/.exec(text)?.index ?? text.length));
  parts.returned.push(rawBody);
  const refs = refsOf(mail, header, parts.returned);
  const reportId = mail.messageId ? `message-id:${mail.messageId}` : undefined;
  const base = { refs, ...(reportId ? { reportId } : {}) };

  if (parts.deliveryStatus !== undefined) return { ...base, ...readDsn(parts.deliveryStatus, refs) };
  if (parts.feedbackReport !== undefined) return { ...base, ...readArf(parts.feedbackReport, parts.returned) };
  const autoReply = autoReplyReason(header, mail.subject ?? '');
  const bounce = readTextBounce({ from: header('from').join(' '), subject: mail.subject ?? '', body: mail.text ?? '' });
  // Bounces carry Auto-Submitted too (RFC 3834 §5), so a readable bounce wins over that header.
  if (bounce && (bounce.kind !== 'ignored' || !autoReply)) return { ...base, ...bounce };
  if (autoReply) return { ...base, kind: 'ignored', format: 'auto-reply', summary: `auto-reply (${autoReply})` };
  return { ...base, kind: 'ignored', format: 'unknown', summary: 'not a bounce or complaint: no delivery-status or feedback-report part and no known bounce text' };
}

interface Parts {
  deliveryStatus?: string;
  feedbackReport?: string;
  /** Texts of the returned message (message/rfc822, text/rfc822-headers). */
  returned: string[];
}

function partsOf(mail: ParsedMail): Parts {
  const parts: Parts = { returned: [] };
  for (const a of mail.attachments) {
    const type = a.contentType.toLowerCase();
    const text = a.content.toString('utf8');
    if (type === 'message/delivery-status' || type === 'message/global-delivery-status') parts.deliveryStatus ??= text;
    else if (type === 'message/feedback-report') parts.feedbackReport ??= text;
    else if (/^(message\/(rfc822|global|global-headers)|text\/rfc822-headers)$/.test(type)) parts.returned.push(text);
  }
  return parts;
}

/** Where the report was addressed (a VERP token hides there) and what the returned message was. */
function refsOf(mail: ParsedMail, header: (name: string) => string[], returned: string[]): FeedbackRefs {
  const refs = noRefs();
  for (const name of ['to', 'delivered-to', 'x-original-to', 'envelope-to', 'x-envelope-to', 'x-rcpt-to', 'cc']) {
    for (const v of header(name)) refs.envelopeTo.push(...addressesIn(v));
  }
  // The report's own headers are not searched: its Message-ID is not ours.
  const inside = returned.join('\n');
  refs.messageIds = [...new Set(headerValues(inside, 'Message-ID').map((v) => /<[^<>\s]+>/.exec(v)?.[0]).filter((v): v is string => Boolean(v)))];
  refs.entityRefIds = [...new Set(headerValues(inside, 'X-Entity-Ref-ID').map((v) => v.split(/\s/)[0]!))];
  const date = isoDate(headerValues(inside, 'Date')[0]) ?? (mail.date ? mail.date.toISOString() : undefined);
  if (date) refs.date = date;
  return refs;
}

type Classified = Omit<FeedbackReport, 'refs' | 'reportId'>;

/** RFC 3464: one per-message block, then one block per recipient. The worst recipient decides. */
function readDsn(text: string, refs: FeedbackRefs): Classified {
  const [perMessage, ...recipients] = fieldBlocks(text);
  const rank = (b: FieldBlock) => ({ failed: 0, delayed: 1 })[b.get('action')?.toLowerCase() ?? ''] ?? 2;
  const block = [...recipients].sort((a, b) => rank(a) - rank(b))[0] ?? perMessage;
  const arrival = isoDate(perMessage?.get('arrival-date')) ?? isoDate(block?.get('last-attempt-date'));
  if (arrival) refs.date = refs.date ?? arrival;
  if (!block) return { kind: 'ignored', format: 'dsn', summary: 'delivery-status report names no recipient' };
  const recipient = typedAddress(block.get('original-recipient')) ?? typedAddress(block.get('final-recipient'));
  const action = block.get('action')?.toLowerCase() ?? '';
  const status = /^[245]\.\d{1,3}\.\d{1,3}/.exec(block.get('status') ?? '')?.[0];
  const diagnostic = typedText(block.get('diagnostic-code')) ?? '';
  const who = recipient ? { recipient } : {};
  if (['delivered', 'relayed', 'expanded'].includes(action) || status?.startsWith('2.')) {
    return { kind: 'ignored', format: 'dsn', summary: `delivery succeeded (Action: ${action || 'none'}${status ? `, Status: ${status}` : ''})`, ...who };
  }
  if (!status) return { kind: 'ignored', format: 'dsn', summary: `delivery-status report without a Status field (Action: ${action || 'none'})`, ...who };
  const kind = bounceKind(status, diagnostic);
  const summary = [describeStatus(status), action === 'delayed' ? '(delayed, the relay is still trying)' : '', diagnostic].filter(Boolean).join(' ');
  return { kind, format: 'dsn', summary: clip(summary), status, ...who };
}

/** Feedback types that are a reader's complaint; the rest (not-spam, auth-failure, dmarc…) are not. */
const COMPLAINT_TYPES = new Set(['abuse', 'fraud', 'virus', 'other']);

/** RFC 5965 ARF: a feedback-report part, usually with the complained-about message returned. */
function readArf(text: string, returned: string[]): Classified {
  const fields = fieldBlocks(text)[0] ?? new Map<string, string>();
  const type = (fields.get('feedback-type') ?? '').toLowerCase();
  const returnedTo = returned.flatMap((r) => headerValues(r.split(/\r?\n\r?\n/)[0]!, 'To')).flatMap(addressesIn)[0];
  const recipient = typedAddress(fields.get('original-rcpt-to')) ?? returnedTo;
  const who = recipient ? { recipient } : {};
  const agent = fields.get('user-agent');
  if (!COMPLAINT_TYPES.has(type)) {
    return { kind: 'ignored', format: 'arf', summary: `feedback report of type ${type || '(none)'} is not a complaint`, ...who };
  }
  return { kind: 'complaint', format: 'arf', summary: clip(`complaint (Feedback-Type: ${type}${agent ? `, from ${agent}` : ''})`), ...who };
}

/** Why a message is an automatic reply (RFC 3834 and the common vendor headers), or undefined. */
function autoReplyReason(header: (name: string) => string[], subject: string): string | undefined {
  const auto = header('auto-submitted')[0];
  if (auto && !/^no\b/i.test(auto)) return `Auto-Submitted: ${auto}`;
  for (const name of ['x-autoreply', 'x-autorespond', 'x-autoresponse']) if (header(name).length > 0) return `${name} header`;
  const precedence = header('precedence')[0];
  if (precedence && /auto_reply/i.test(precedence)) return `Precedence: ${precedence}`;
  if (/^(auto(matic)?[ -]?(reply|response|antwort)|out of (the )?office|abwesenheit|absence|r[ée]ponse automatique|vacation)\b/i.test(subject.trim()) || /^auto:/i.test(subject.trim())) {
    return `subject "${clip(subject, 60)}"`;
  }
  return undefined;
}

function clip(text: string, max = 300): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
