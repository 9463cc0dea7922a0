import { AppError } from '../errors.js';
import { show } from './show-value.js';

/**
 * Email address validation and normalisation for readers. The rule is the WHATWG HTML
 * `type=email` rule, tightened where real mail systems are stricter: the domain needs a dot and a
 * non-numeric top-level label, the local part is an RFC 5321 dot-atom (no leading, trailing or
 * doubled dots) of at most 64 characters, and the whole address is at most 254.
 */

/** The outcome of {@link checkEmailAddress}: the normalised address, or why it was refused. */
export type EmailCheck = { ok: true; email: string } | { ok: false; reason: string };

/** The longest address SMTP can carry in a forward path (RFC 5321 §4.5.3.1.3, less the brackets). */
export const MAX_EMAIL_LENGTH = 254;

const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LOCAL_CHARS = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$/;
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const CONTROL = /\p{Cc}/u;

/**
 * Validates an address and returns its normalised form: surrounding whitespace trimmed and the
 * domain lower-cased. The local part is kept exactly as given, because mail servers may treat its
 * case as significant. Line breaks anywhere are refused rather than trimmed, since an address
 * that carries one is more likely an attempt at header injection than a typo.
 */
export function checkEmailAddress(raw: string): EmailCheck {
  const fail = (why: string): EmailCheck => ({ ok: false, reason: `email ${show(raw)} ${why}` });
  if (/[\r\n]/.test(raw)) return fail('contains a line break');
  const value = raw.trim();
  if (value === '') return { ok: false, reason: 'email is missing' };
  if (CONTROL.test(value)) return fail('contains a control character');
  if (/\s/u.test(value)) return fail('contains a space');
  if (value.length > MAX_EMAIL_LENGTH) return fail(`is longer than ${MAX_EMAIL_LENGTH} characters`);
  const at = value.lastIndexOf('@');
  if (at < 0) return fail('has no @');
  if (value.indexOf('@') !== at) return fail('has more than one @');
  const local = value.slice(0, at);
  const domain = value.slice(at + 1).toLowerCase();
  if (local === '') return fail('has nothing before the @');
  if (local.length > 64) return fail('has more than 64 characters before the @');
  if (!LOCAL_CHARS.test(local)) return fail('has characters before the @ that are not allowed');
  if (!LOCAL_PART.test(local)) return fail('has a misplaced dot before the @');
  if (domain === '') return fail('has nothing after the @');
  if (!/^[\x21-\x7e]+$/.test(domain)) return fail('has a non-ASCII domain (write it in its xn-- form)');
  const labels = domain.split('.');
  if (labels.length < 2) return fail(`has a domain without a dot (${show(domain)})`);
  if (!labels.every((l) => DOMAIN_LABEL.test(l)) || /^\d+$/.test(labels[labels.length - 1]!)) {
    return fail(`has an invalid domain (${show(domain)})`);
  }
  return { ok: true, email: `${local}@${domain}` };
}

/**
 * The form to look an address up by: normalised as stored, or for an odd legacy row the check
 * refuses, the literal text trimmed, so an operator can still find and remove it.
 */
export function storedForm(raw: string): string {
  const checked = checkEmailAddress(raw);
  return checked.ok ? checked.email : raw.trim();
}

/**
 * Like {@link checkEmailAddress}, but throws.
 *
 * @throws AppError SUBSCRIBER_INVALID when the address is refused.
 */
export function normaliseEmailAddress(raw: string): string {
  const r = checkEmailAddress(raw);
  if (!r.ok) throw new AppError('SUBSCRIBER_INVALID', r.reason);
  return r.email;
}

/**
 * Checks a sender-side mailbox as config gives it: `addr@example.com`, `Name <addr@example.com>`
 * or `"Name, Inc." <addr@example.com>`. Returns why it is refused, or undefined when it is fine.
 * A line break is always refused: the value goes into a header.
 */
export function mailboxProblem(raw: string): string | undefined {
  if (/[\r\n]/.test(raw)) return 'contains a line break';
  if (CONTROL.test(raw)) return 'contains a control character';
  const value = raw.trim();
  const angle = /^(.*?)\s*<([^<>]*)>$/.exec(value);
  if (angle) {
    const name = angle[1]!.trim();
    if (name !== '' && !/^"(?:[^"\\]|\\.)*"$/.test(name) && /[<>",;:@\\[\]()]/.test(name)) {
      return 'has a display name with special characters; put it in double quotes';
    }
  }
  const address = angle ? angle[2]!.trim() : value;
  // The shipped default sends "from" localhost (fine for the outbox); a reader's address needs a dot, a sender's need not.
  const check = checkEmailAddress(/@localhost$/i.test(address) ? `${address}.invalid` : address);
  return check.ok ? undefined : `is not an address like "Name <news@example.com>" (${check.reason})`;
}
