/**
 * The one home of the bounce classification rule: which status codes mean the address is dead
 * (hard) and which mean "try later" (soft).
 */

/** An RFC 3463 enhanced status code anywhere in a text, e.g. `5.1.1` in "550 5.1.1 user unknown". */
const ENHANCED = /\b([245])\.(\d{1,3})\.(\d{1,3})\b/;
/** A basic SMTP reply code at a word start, e.g. `550` or `452-`. */
const BASIC = /(?:^|[\s#(:;])([45][0-5]\d)(?=[\s\-:;)]|$)/m;

/** Phrases that name a full mailbox, whatever code the server used. */
const MAILBOX_FULL = /mailbox (?:is )?full|over ?quota|quota exceeded|exceeded (?:the )?(?:storage|quota)|insufficient (?:system )?storage|mailbox size limit/i;
/** Phrases that name a missing mailbox or domain, for bounces that carry no code. */
const NO_SUCH_USER = /user unknown|unknown user|no such (?:user|mailbox|recipient)|does not exist|doesn'?t exist|address not found|invalid (?:recipient|mailbox)|recipient (?:address )?rejected|mailbox unavailable|no mailbox here|couldn'?t be found|not (?:be )?found|RecipNotFound/i;
const NO_SUCH_DOMAIN = /host (?:or domain name )?not found|domain not found|no such domain|name service error|unrouteable|unroutable|Host unknown|bad destination/i;

/** Finds the enhanced status code in a diagnostic text, if any. */
export function enhancedStatusIn(text: string): string | undefined {
  const m = ENHANCED.exec(text);
  return m ? `${m[1]}.${m[2]}.${m[3]}` : undefined;
}

/** Finds a basic SMTP reply code (4xx/5xx) in a diagnostic text, if any. */
export function basicCodeIn(text: string): number | undefined {
  const m = BASIC.exec(text);
  return m ? Number(m[1]) : undefined;
}

/**
 * The status a bounce carries: its own enhanced code, else one derived from the SMTP reply code
 * or the wording (qmail and old Exchange often give only words).
 */
export function statusFromText(text: string): string | undefined {
  const enhanced = enhancedStatusIn(text);
  if (enhanced && enhanced !== '2.0.0') return enhanced;
  if (MAILBOX_FULL.test(text)) return '5.2.2';
  const basic = basicCodeIn(text);
  if (NO_SUCH_DOMAIN.test(text)) return basic && basic < 500 ? '4.4.0' : '5.1.2';
  if (NO_SUCH_USER.test(text)) return basic && basic < 500 ? '4.0.0' : '5.1.1';
  if (basic === 552) return '5.2.2';
  if (basic !== undefined) return basic >= 500 ? '5.0.0' : '4.0.0';
  return undefined;
}

/**
 * hard: 5.x.x, the address will not work. soft: 4.x.x, or 5.2.2 (mailbox full), which heals once
 * the reader empties it. A diagnostic that says "mailbox full" under a 5.x.x code is soft too:
 * many servers send 550 for a full mailbox.
 */
export function bounceKind(status: string, diagnostic = ''): 'hard' | 'soft' {
  if (status.startsWith('4.')) return 'soft';
  if (status === '5.2.2' || MAILBOX_FULL.test(diagnostic)) return 'soft';
  return 'hard';
}

/** What a status code means, for summaries: the RFC 3463 subject/detail names of the common ones. */
const MEANINGS: Record<string, string> = {
  '1.1': 'bad destination mailbox address',
  '1.2': 'bad destination system address',
  '1.6': 'mailbox has moved',
  '2.1': 'mailbox disabled',
  '2.2': 'mailbox full',
  '2.3': 'message too long',
  '4.1': 'no answer from host',
  '4.4': 'unable to route',
  '4.7': 'delivery time expired',
  '7.1': 'delivery not authorised, message refused',
};

/** A short meaning for a status code, e.g. "5.1.1 bad destination mailbox address". */
export function describeStatus(status: string): string {
  const meaning = MEANINGS[status.slice(2)];
  return meaning ? `${status} ${meaning}` : status;
}
