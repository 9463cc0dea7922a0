import { addressesIn } from './fields.js';
import type { FeedbackFormat, FeedbackReport } from './report.js';
import { bounceKind, describeStatus, statusFromText } from './status-codes.js';

/**
 * Bounces that are not RFC 3464 reports: the plain-text notices Postfix (with notify_classes
 * trimmed or old versions), Exim, qmail and older Exchange send. They all say who failed and
 * why in prose before a copy of the message; these rules read that prose.
 */

/** The parts of a message the text rules look at. */
export interface TextBounceInput {
  from: string;
  subject: string;
  body: string;
}

const LOOKS_LIKE_BOUNCE_FROM = /mailer-daemon|postmaster|mail delivery (system|subsystem)|microsoftexchange/i;
const LOOKS_LIKE_BOUNCE_SUBJECT = /undeliver|delivery (status notification|failure|has failed|failed|problem)|failure notice|returned mail|mail delivery failed|non-?delivery|could not be delivered|delivery incomplete|warning: could not send/i;

const SIGNATURES: [FeedbackFormat, RegExp][] = [
  ['qmail', /qmail-send program|I'm afraid I wasn't able to deliver your message/i],
  ['exim', /This message was created automatically by mail delivery software/i],
  ['postfix', /This is the mail system at host|I'm sorry to have to inform you that your message could not/i],
  ['exchange', /Delivery has failed to these recipients|Diagnostic information for administrators|couldn'?t be delivered to/i],
];

/** Where the prose ends and the copy of the message begins. */
const COPY_MARKER = /^.*(?:copy of the message|Below this line is a copy|Original message headers|-{3,}\s*(?:Original message|Undelivered message|The header of the original|Returned message)).*$/im;

const PERMANENT = /permanent (?:error|failure)|I've given up|has failed|could not be delivered|couldn'?t be delivered/i;
const TEMPORARY = /has not yet been delivered|temporary (?:error|failure)|will (?:continue to )?(?:retry|try)|delayed/i;

/** Reads a non-standard bounce, or returns undefined when the message does not look like one. */
export function readTextBounce(input: TextBounceInput): Omit<FeedbackReport, 'refs' | 'reportId'> | undefined {
  const signature = SIGNATURES.find(([, re]) => re.test(input.body));
  const bounceLike = LOOKS_LIKE_BOUNCE_FROM.test(input.from) || LOOKS_LIKE_BOUNCE_SUBJECT.test(input.subject);
  if (!signature && !bounceLike) return undefined;
  const format: FeedbackFormat = signature?.[0] ?? 'text-bounce';
  const cut = COPY_MARKER.exec(input.body);
  const prose = cut ? input.body.slice(0, cut.index) : input.body;
  const own = new Set(addressesIn(input.from));
  const recipient = addressesIn(prose).find((a) => !own.has(a) && !/^(mailer-daemon|postmaster)@/i.test(a));
  const explicit = statusFromText(prose);
  const status = explicit ?? (TEMPORARY.test(prose) ? '4.0.0' : PERMANENT.test(prose) ? '5.0.0' : undefined);
  const who = recipient ? { recipient } : {};
  if (!status) return { kind: 'ignored', format, summary: 'looks like a bounce but gives no status or error', ...who };
  const diagnostic = diagnosticLine(prose, status);
  return { kind: bounceKind(status, diagnostic), format, summary: [describeStatus(status), diagnostic].filter(Boolean).join(' ').slice(0, 300), status, ...who };
}

/** The line that carries the error, for the summary: the one holding a code, else an error phrase. */
function diagnosticLine(prose: string, status: string): string {
  const lines = prose.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const withCode = lines.find((l) => l.includes(status) || /\b[45]\d\d\b/.test(l));
  return (withCode ?? lines.find((l) => /sorry|error|fail|unknown|not found|full|quota/i.test(l)) ?? '').slice(0, 200);
}
