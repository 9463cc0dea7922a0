import { afterEach, describe, expect, it } from 'vitest';
import { AddressRateLimiter } from '../../../src/web/rate-limit.js';
import { startWebHarness, type WebHarness } from '../../helpers/web-harness.js';

/** POST /subscribe is limited per client IP and per email address (signupRate, per hour). */

let h: WebHarness;
afterEach(async () => {
  await h.close();
});

describe('signup rate limits', () => {
  it('limits POSTs per IP; another IP is unaffected', async () => {
    h = await startWebHarness({ SIGNUP_RATE_PER_IP: '3', SIGNUP_RATE_PER_ADDRESS: '100' });
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) codes.push((await h.signup({ email: `ip${i}@example.com`, topics: ['world'] }, { remoteAddress: '203.0.113.7' })).statusCode);
    expect(codes).toEqual([200, 200, 200, 429]);
    const limited = await h.signup({ email: 'ip9@example.com', topics: ['world'] }, { remoteAddress: '203.0.113.7' });
    expect(limited.body).toContain('Too many attempts');
    expect(limited.headers['retry-after']).toBeDefined();
    expect(await h.app.store.subscribers.count()).toBe(3);
    expect((await h.signup({ email: 'other@example.com', topics: ['world'] }, { remoteAddress: '198.51.100.1' })).statusCode).toBe(200);
  });

  it('limits signups per address across IPs, whatever state the address is in', async () => {
    h = await startWebHarness({ SIGNUP_RATE_PER_IP: '100', SIGNUP_RATE_PER_ADDRESS: '2' });
    const codes: number[] = [];
    for (let i = 0; i < 3; i++) codes.push((await h.signup({ email: 'victim@example.com', topics: ['world'] }, { remoteAddress: `192.0.2.${i + 1}` })).statusCode);
    expect(codes).toEqual([200, 200, 429]);
    // The same address with a differently cased domain is the same inbox.
    expect((await h.signup({ email: 'victim@EXAMPLE.com', topics: ['world'] }, { remoteAddress: '192.0.2.9' })).statusCode).toBe(429);
    expect(h.mailer.to('victim@example.com')).toHaveLength(2);
    expect((await h.signup({ email: 'someone-else@example.com', topics: ['world'] })).statusCode).toBe(200);
  });
});

describe('AddressRateLimiter', () => {
  it('allows max attempts per sliding window', () => {
    let now = 0;
    const limiter = new AddressRateLimiter({ max: 2, windowMs: 1000, now: () => now });
    expect([limiter.tryConsume('a'), limiter.tryConsume('a'), limiter.tryConsume('a'), limiter.tryConsume('b')]).toEqual([true, true, false, true]);
    now = 999;
    expect(limiter.tryConsume('a')).toBe(false);
    now = 1001;
    expect(limiter.tryConsume('a')).toBe(true);
  });
});
