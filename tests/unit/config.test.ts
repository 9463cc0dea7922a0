import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { AppError, formatError } from '../../src/errors.js';

describe('parseConfig', () => {
  it('works with an empty environment, using the documented defaults', () => {
    const c = parseConfig({});
    expect(c.database).toEqual({ kind: 'sqlite', path: 'data/topic-digest.db' });
    expect(c.web.publicUrl).toBe('http://localhost:3000');
    expect(c.web.port).toBe(3000);
    expect(c.digest).toMatchObject({ sendTime: '07:00', timezone: 'UTC', lookbackHours: 24, maxPerTopic: 5 });
    expect(c.smtp.url).toBeUndefined();
    expect(c.smtp.outboxDir).toBe('outbox');
    expect(c.seedSampleData).toBe(true);
    expect(Object.isFrozen(c.digest)).toBe(true);
  });

  it('reports every bad variable at once', () => {
    let caught: unknown;
    try {
      parseConfig({ PORT: 'eighty', DIGEST_SEND_TIME: '25:00', DIGEST_TIMEZONE: 'Mars/Olympus', DATABASE_URL: 'mysql://x', SMTP_URL: 'http://x' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AppError);
    const err = caught as AppError;
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.exitCode).toBe(2);
    const text = err.details.join('\n');
    for (const name of ['PORT', 'DIGEST_SEND_TIME', 'DIGEST_TIMEZONE', 'DATABASE_URL', 'SMTP_URL']) expect(text).toContain(name);
    expect(err.details).toHaveLength(5);
  });

  it('never echoes secrets back in errors', () => {
    expect(() => parseConfig({ SECRET_KEY: 'short' })).toThrow(AppError);
    try {
      parseConfig({ SECRET_KEY: 'short' });
    } catch (err) {
      expect((err as AppError).details.join()).not.toContain('short');
    }
  });

  it('takes an Ed25519 key only next to the RSA settings and with its own selector', () => {
    const rsa = { DKIM_DOMAIN: 'example.com', DKIM_SELECTOR: 's1', DKIM_PRIVATE_KEY: 'k' };
    expect(() => parseConfig({ ...rsa, DKIM_ED25519_KEY_FILE: 'ed.pem' })).toThrow(/DKIM_ED25519_KEY_FILE/);
    expect(() => parseConfig({ DKIM_ED25519_KEY_FILE: 'ed.pem', DKIM_ED25519_SELECTOR: 'e1' })).toThrow(/DKIM_ED25519_KEY_FILE/);
    expect(parseConfig({ ...rsa, DKIM_ED25519_KEY_FILE: 'ed.pem', DKIM_ED25519_SELECTOR: 'e1' }).dkim?.ed25519).toEqual({ selector: 'e1', keyFile: 'ed.pem' });
  });

  it('requires DKIM settings together', () => {
    expect(() => parseConfig({ DKIM_DOMAIN: 'example.com' })).toThrow(/DKIM/);
    const c = parseConfig({ DKIM_DOMAIN: 'example.com', DKIM_SELECTOR: 's1', DKIM_PRIVATE_KEY: 'k' });
    expect(c.dkim).toEqual({ domain: 'example.com', selector: 's1', privateKey: 'k' });
  });

  it('parses sqlite paths and strips the trailing slash of PUBLIC_URL', () => {
    const c = parseConfig({ DATABASE_URL: 'sqlite:/tmp/x.db', PUBLIC_URL: 'https://news.example.com/' });
    expect(c.database).toEqual({ kind: 'sqlite', path: '/tmp/x.db' });
    expect(c.web.publicUrl).toBe('https://news.example.com');
  });
});

describe('parseConfig: addresses and secrets (issue 10)', () => {
  const problems = (env: Record<string, string>) => {
    try {
      parseConfig(env);
      return '';
    } catch (err) {
      return formatError(err);
    }
  };

  it('never prints the password of a mistyped DATABASE_URL or SMTP_URL', () => {
    const text = problems({ DATABASE_URL: 'postgress://ann:hunter2@db/news', SMTP_URL: 'smtpx://u:pa55word@mail:25' });
    expect(text).toContain('DATABASE_URL');
    expect(text).toContain('postgress://ann:***@db/news');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('pa55word');
  });

  it('refuses a From that is not an address, or carries CR/LF, and reports every bad one at once', () => {
    const text = problems({ MAIL_FROM: 'nonsense', MAIL_REPLY_TO: 'Desk <desk@example.com>\r\nBcc: all@example.com', UNSUBSCRIBE_MAILBOX: 'Unsub <u@example.com>' });
    for (const name of ['MAIL_FROM', 'MAIL_REPLY_TO', 'UNSUBSCRIBE_MAILBOX']) expect(text).toContain(name);
    expect(text).toContain('line break');
    expect(problems({ MAIL_FROM: 'News <news@example.com\n>' })).toContain('MAIL_FROM');
  });

  it('accepts display names, quoted names and the localhost default', () => {
    for (const from of ['news@example.com', 'The Gazette <news@example.com>', '"Gazette, Evening" <news@example.com>', 'Topic Digest <digest@localhost>']) {
      expect(problems({ MAIL_FROM: from }), from).toBe('');
    }
    expect(problems({ MAIL_FROM: 'Gazette, Evening <news@example.com>' })).toContain('double quotes');
  });
});
