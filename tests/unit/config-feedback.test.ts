import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { AppError } from '../../src/errors.js';

describe('bounce and complaint settings', () => {
  it('are off by default', () => {
    expect(parseConfig({}).feedback).toEqual({ softBounceLimit: 5, webhooks: { sesTopicArns: [] } });
  });

  it('read VERP, the mailbox and each webhook secret', () => {
    const f = parseConfig({
      BOUNCE_ADDRESS: 'bounces@news.example.com',
      SOFT_BOUNCE_LIMIT: '3',
      BOUNCE_IMAP_URL: 'imaps://u:p%40ss@imap.example.com/INBOX',
      SES_TOPIC_ARNS: 'arn:aws:sns:eu-west-1:1:a, arn:aws:sns:eu-west-1:1:b',
      POSTMARK_WEBHOOK_USER: 'u',
      POSTMARK_WEBHOOK_PASSWORD: 'p',
      MAILGUN_WEBHOOK_SIGNING_KEY: 'k',
      SENDGRID_WEBHOOK_PUBLIC_KEY: 'MFkw',
    }).feedback;
    expect(f).toEqual({
      bounceAddress: 'bounces@news.example.com',
      softBounceLimit: 3,
      imap: { url: 'imaps://u:p%40ss@imap.example.com/INBOX', doneFolder: 'Processed', pollSeconds: 60 },
      webhooks: { sesTopicArns: ['arn:aws:sns:eu-west-1:1:a', 'arn:aws:sns:eu-west-1:1:b'], postmark: { user: 'u', password: 'p' }, mailgunSigningKey: 'k', sendgridPublicKey: 'MFkw' },
    });
  });

  it('reports bad values together, without showing the IMAP password', () => {
    const err = (() => {
      try {
        parseConfig({ BOUNCE_ADDRESS: 'bounces+x@news.example.com', SOFT_BOUNCE_LIMIT: '0', BOUNCE_IMAP_URL: 'pop3://u:hunter2@h/' });
      } catch (e) {
        return e as AppError;
      }
      throw new Error('expected an error');
    })();
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toMatch(/BOUNCE_ADDRESS.*SOFT_BOUNCE_LIMIT.*BOUNCE_IMAP_URL/);
    expect(err.details.join('\n')).not.toContain('hunter2');
  });
});
