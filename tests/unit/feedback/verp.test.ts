import { describe, expect, it } from 'vitest';
import { createVerp } from '../../../src/feedback/verp.js';

const secret = 'a'.repeat(40);

describe('VERP addresses', () => {
  const verp = createVerp('bounces@news.example.com', secret);

  it('names the delivery in a short, signed local part and reads it back', () => {
    const a = verp.address(123456);
    expect(a).toMatch(/^bounces\+2n9c-[0-9a-f]{12}@news\.example\.com$/);
    expect(a.split('@')[0]!.length).toBeLessThanOrEqual(30);
    expect(verp.deliveryIdIn(['someone@else.example', a])).toBe(123456);
    // Relays may change the case of the local part.
    expect(verp.deliveryIdIn([a.toUpperCase()])).toBe(123456);
  });

  it('refuses a forged or altered token, another secret, and plain addresses', () => {
    const a = verp.address(42);
    const altered = a.replace('bounces+16-', 'bounces+17-');
    expect(altered).not.toBe(a);
    expect(verp.deliveryIdIn([altered])).toBeUndefined();
    expect(createVerp('bounces@news.example.com', 'b'.repeat(40)).deliveryIdIn([a])).toBeUndefined();
    expect(verp.deliveryIdIn(['bounces@news.example.com', 'bounces+zz@news.example.com', ''])).toBeUndefined();
  });
});
