import { describe, expect, it } from 'vitest';
import { truncateIp } from '../../../src/subscriptions/consent.js';

describe('truncateIp', () => {
  it.each([
    ['203.0.113.77', '203.0.113.0/24'],
    ['::ffff:198.51.100.9', '198.51.100.0/24'],
    ['2001:db8:abcd:12::1', '2001:db8:abcd::/48'],
    ['2001:0db8:0000:0012:0000:0000:0000:0001', '2001:db8:0::/48'],
    ['::1', '0:0:0::/48'],
    ['fe80::1%eth0', 'fe80:0:0::/48'],
    ['not an ip', null],
    [undefined, null],
  ])('%s -> %s', (ip, expected) => {
    expect(truncateIp(ip)).toBe(expected);
  });

  it('keeps the whole address when CONSENT_FULL_IP is on', () => {
    expect(truncateIp('203.0.113.77', true)).toBe('203.0.113.77');
    expect(truncateIp('2001:db8::1', true)).toBe('2001:db8::1');
  });
});
