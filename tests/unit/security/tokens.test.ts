import { describe, expect, it } from 'vitest';
import { readToken, signToken, verifyToken } from '../../../src/security/tokens.js';

const secret = 'app-secret-0123456789-0123456789-abcdef';
const key = 'subscriber-key-1';

describe('signed tokens', () => {
  it('round-trips claims for the right purpose and key', () => {
    const t = signToken(secret, key, { purpose: 'unsubscribe', subscriberId: 42 });
    expect(t).toMatch(/^[A-Za-z0-9._-]+$/);
    expect(readToken(t)).toEqual({ purpose: 'unsubscribe', subscriberId: 42 });
    expect(verifyToken(secret, key, t, 'unsubscribe')).toEqual({ ok: true, claims: { purpose: 'unsubscribe', subscriberId: 42 } });
  });

  it('refuses a tampered subscriber id, another key, another secret, and another purpose', () => {
    const t = signToken(secret, key, { purpose: 'preferences', subscriberId: 7 });
    const tampered = t.replace(/^p\.7\./, 'p.8.');
    expect(tampered).not.toBe(t);
    expect(verifyToken(secret, key, tampered, 'preferences')).toMatchObject({ ok: false, reason: 'forged' });
    expect(verifyToken(secret, 'other-key', t, 'preferences')).toMatchObject({ ok: false, reason: 'forged' });
    expect(verifyToken('another-secret-0123456789-0123456789', key, t, 'preferences')).toMatchObject({ ok: false, reason: 'forged' });
    expect(verifyToken(secret, key, t, 'unsubscribe')).toMatchObject({ ok: false, reason: 'wrong-purpose' });
  });

  it('expires confirm tokens but only after checking the signature', () => {
    const t = signToken(secret, key, { purpose: 'confirm', subscriberId: 1, expiresAt: 1000 });
    expect(verifyToken(secret, key, t, 'confirm', 999)).toMatchObject({ ok: true });
    expect(verifyToken(secret, key, t, 'confirm', 1001)).toMatchObject({ ok: false, reason: 'expired' });
    const forged = t.slice(0, -3) + (t.endsWith('AAA') ? 'BBB' : 'AAA');
    expect(verifyToken(secret, key, forged, 'confirm', 1001)).toMatchObject({ ok: false, reason: 'forged' });
  });

  it('treats garbage as malformed', () => {
    for (const bad of ['', 'abc', 'x.1..sig', 'u.1.', 'u.ZZZZZZZZZZZZZZZ..sig', 'u.1..sig.extra']) {
      expect(verifyToken(secret, key, bad, 'unsubscribe').ok).toBe(false);
    }
  });
});
