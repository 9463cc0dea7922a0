import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { AppError } from '../../src/errors.js';

describe('parseConfig', () => {
  it('works with an empty environment, using the documented defaults', () => {
    const c = parseConfig({});
    expect(c.database).toEqual({ kind: 'sqlite', path: 'data/topic-digest.db' });
    expect(c.web.publicUrl).toBe('http://localhost:3000');
    expect(c.web.port).toBe(3000);
    expect(c.web.publicUrlDerived).toBe(true);
    expect(c.digest).toMatchObject({ sendTime: '07:00', timezone: 'UTC', lookbackHours: 24, maxPerTopic: 5 });
    expect(c.smtp.url).toBeUndefined();
    expect(c.smtp.outboxDir).toBe('outbox');
    expect(c.seedSampleData).toBe(true);
    expect(Object.isFrozen(c.digest)).toBe(true);
  });

  it('derives PUBLIC_URL from PORT and HOST when it is unset, so a changed port moves every link', () => {
    expect(parseConfig({ PORT: '4300' }).web.publicUrl).toBe('http://localhost:4300');
    expect(parseConfig({ PORT: '4300', HOST: '127.0.0.1' }).web.publicUrl).toBe('http://localhost:4300');
    expect(parseConfig({ PORT: '8080', HOST: 'news.internal' }).web.publicUrl).toBe('http://news.internal:8080');
    expect(parseConfig({ PORT: '8080', HOST: 'fd00::5' }).web.publicUrl).toBe('http://[fd00::5]:8080');
    const set = parseConfig({ PORT: '4300', PUBLIC_URL: 'https://news.example.com/' }).web;
    expect(set).toMatchObject({ publicUrl: 'https://news.example.com', publicUrlDerived: false });
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
