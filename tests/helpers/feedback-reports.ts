/** Builds bounce and complaint messages for tests, in the shapes of the fixtures. */

/** What a generated report says. */
export interface ReportSpec {
  /** Where the report is addressed (the VERP address, or a plain bounce mailbox). */
  to: string;
  /** The failed or complaining address. */
  recipient: string;
  /** DSN status, e.g. 5.1.1; ignored for complaints. */
  status?: string;
  /** The returned message's Message-ID and X-Entity-Ref-ID. */
  messageId?: string;
  entityRef?: string;
  /** The report's own Message-ID (its identity for idempotency). */
  reportId?: string;
  date?: string;
  /** The DSN's Diagnostic-Code text after the status (default "mailbox problem"). */
  diagnostic?: string;
}

let n = 0;

/** An RFC 3464 DSN as Postfix writes it. */
export function dsn(spec: ReportSpec): string {
  const status = spec.status ?? '5.1.1';
  const returned = [
    'From: Topic Digest <digest@news.example.com>',
    `To: ${spec.recipient}`,
    ...(spec.messageId ? [`Message-ID: ${spec.messageId}`] : []),
    ...(spec.entityRef ? [`X-Entity-Ref-ID: ${spec.entityRef}`] : []),
    'Subject: Your digest',
  ];
  return [
    'From: MAILER-DAEMON@relay.example.net (Mail Delivery System)',
    `To: ${spec.to}`,
    'Subject: Undelivered Mail Returned to Sender',
    `Date: ${spec.date ?? new Date().toUTCString()}`,
    `Message-Id: ${spec.reportId ?? `<dsn-${process.pid}-${++n}-${Date.now()}@relay.example.net>`}`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="BB"',
    '',
    '--BB',
    'Content-Type: text/plain',
    '',
    `<${spec.recipient}>: host mx.example.org said: 550 ${status} nope`,
    '',
    '--BB',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; relay.example.net',
    '',
    `Final-Recipient: rfc822; ${spec.recipient}`,
    `Action: ${status.startsWith('4') ? 'delayed' : 'failed'}`,
    `Status: ${status}`,
    `Diagnostic-Code: smtp; 550 ${status} ${spec.diagnostic ?? 'mailbox problem'}`,
    '',
    '--BB',
    'Content-Type: text/rfc822-headers',
    '',
    ...returned,
    '',
    '--BB--',
    '',
  ].join('\r\n');
}

/** An RFC 5965 ARF abuse report. */
export function arf(spec: ReportSpec): string {
  return [
    'From: fbl@isp.example',
    `To: ${spec.to}`,
    'Subject: FW: Your digest',
    `Date: ${spec.date ?? new Date().toUTCString()}`,
    `Message-ID: ${spec.reportId ?? `<arf-${process.pid}-${++n}-${Date.now()}@isp.example>`}`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=feedback-report; boundary="FF"',
    '',
    '--FF',
    'Content-Type: text/plain',
    '',
    'This is an abuse report.',
    '',
    '--FF',
    'Content-Type: message/feedback-report',
    '',
    'Feedback-Type: abuse',
    'User-Agent: TestFBL/1.0',
    'Version: 1',
    `Original-Rcpt-To: <${spec.recipient}>`,
    '',
    '--FF',
    'Content-Type: message/rfc822',
    '',
    'From: Topic Digest <digest@news.example.com>',
    `To: ${spec.recipient}`,
    ...(spec.messageId ? [`Message-ID: ${spec.messageId}`] : []),
    'Subject: Your digest',
    '',
    'Stories.',
    '',
    '--FF--',
    '',
  ].join('\r\n');
}
