import { describe, expect, it } from 'vitest';
import { mailgunEvent } from '../../../../src/feedback/webhooks/mailgun.js';
import { postmarkEvent } from '../../../../src/feedback/webhooks/postmark.js';
import { sendgridEvents } from '../../../../src/feedback/webhooks/sendgrid.js';
import { isSnsUrl, sesEvents } from '../../../../src/feedback/webhooks/ses.js';

describe('SES notifications', () => {
  const bounce = (bounceType: string, status?: string) =>
    JSON.stringify({ notificationType: 'Bounce', bounce: { bounceType, bounceSubType: 'MailboxFull', bouncedRecipients: [{ emailAddress: 'A@x.example', ...(status ? { status } : {}) }, { emailAddress: 'b@x.example' }] }, mail: { commonHeaders: { messageId: '<m@news>' } } });

  it('one event per recipient; Permanent is hard, Transient soft', () => {
    const hard = sesEvents(bounce('Permanent', '5.1.1'), 'sns-1');
    expect(hard.map((e) => [e.eventId, e.report.kind, e.report.recipient])).toEqual([
      ['sns-1#0', 'hard', 'a@x.example'],
      ['sns-1#1', 'hard', 'b@x.example'],
    ]);
    expect(hard[0]!.report.refs.messageIds).toEqual(['<m@news>']);
    expect(sesEvents(bounce('Transient', '5.2.2'), 's')[0]!.report.kind).toBe('soft');
    expect(sesEvents(bounce('Undetermined'), 's')[0]!.report.kind).toBe('soft');
  });

  it('deliveries and garbage are ignored, never thrown', () => {
    expect(sesEvents(JSON.stringify({ eventType: 'Delivery', mail: {} }), 's')[0]!.report.kind).toBe('ignored');
    expect(sesEvents('not json', 's')).toEqual([]);
  });

  it('accepts only https SNS hosts for certificates and confirmations', () => {
    expect(isSnsUrl('https://sns.us-east-1.amazonaws.com/x.pem')).toBe(true);
    expect(isSnsUrl('https://sns.cn-north-1.amazonaws.com.cn/x.pem')).toBe(true);
    for (const bad of ['http://sns.us-east-1.amazonaws.com/x.pem', 'https://sns.us-east-1.amazonaws.com.evil.example/x', 'https://evil.example/sns.us-east-1.amazonaws.com', 'https://user:pw@sns.us-east-1.amazonaws.com/x', 'https://sns.us-east-1.amazonaws.com:8443/x', 'nonsense']) {
      expect(isSnsUrl(bad), bad).toBe(false);
    }
  });
});

describe('Postmark, Mailgun and SendGrid events', () => {
  it.each([
    ['HardBounce', 'hard'],
    ['BadEmailAddress', 'hard'],
    ['SoftBounce', 'soft'],
    ['Transient', 'soft'],
    ['SpamComplaint', 'complaint'],
    ['AutoResponder', 'ignored'],
    ['SpamNotification', 'ignored'],
  ])('Postmark %s is %s', (Type, kind) => {
    expect(postmarkEvent({ RecordType: 'Bounce', ID: 1, Type, Email: 'r@x.example' })?.report.kind).toBe(kind);
  });

  it('Mailgun: permanent failure is hard, temporary soft, complained a complaint, others ignored', () => {
    const ev = (e: object) => mailgunEvent({ 'event-data': { id: 'i', recipient: 'r@x.example', ...e } })?.report.kind;
    expect(ev({ event: 'failed', severity: 'permanent', 'delivery-status': { code: 550, 'enhanced-code': '5.1.1' } })).toBe('hard');
    expect(ev({ event: 'failed', severity: 'temporary', 'delivery-status': { code: 452 } })).toBe('soft');
    expect(ev({ event: 'failed', severity: 'permanent', 'delivery-status': { code: 552, message: 'mailbox full' } })).toBe('soft');
    expect(ev({ event: 'complained' })).toBe('complaint');
    expect(ev({ event: 'opened' })).toBe('ignored');
    expect(mailgunEvent({})).toBeUndefined();
  });

  it('SendGrid: bounce by status, blocks and deferrals soft, spam reports complaints', () => {
    const kinds = sendgridEvents([
      { sg_event_id: '1', event: 'bounce', type: 'bounce', status: '5.1.1', email: 'a@x.example' },
      { sg_event_id: '2', event: 'bounce', type: 'blocked', status: '5.7.1', email: 'a@x.example' },
      { sg_event_id: '3', event: 'deferred', response: '451 try later', email: 'a@x.example' },
      { sg_event_id: '4', event: 'spamreport', email: 'a@x.example' },
      { sg_event_id: '5', event: 'open', email: 'a@x.example' },
      { event: 'bounce' },
      'junk',
    ]).map((e) => e.report.kind);
    expect(kinds).toEqual(['hard', 'soft', 'soft', 'complaint', 'ignored']);
  });
});
