import { describe, expect, it } from 'vitest';
import { readToken, signToken, verifyToken } from '../../../src/security/tokens.js';

const secret = 'app-secret-0123456789-0123456789-abcdef';
const key = 'subscriber-key-1';
const ann = '0a1b2c3d4e5f60718293';
const bob = 'ffeeddccbbaa99887766';

describe('signed tokens', () => {
  it('round-trips claims for the right purpose and key', () => {
    const t = signToken(secret, key, { purpose: 'unsubscribe', publicId: ann });
    expect(t).toMatch(/^[A-Za-z0-9._-]+$/);
    expect(readToken(t)).toEqual({ purpose: 'unsubscribe', publicId: ann });
    expect(verifyToken(secret, key, t, 'unsubscribe')).toEqual({ ok: true, claims: { purpose: 'unsubscribe', publicId: ann } });
  });

  it('refuses a tampered subscriber id, another key, another secret, and another purpose', () => {
    const t = signToken(secret, key, { purpose: 'preferences', publicId: ann });
    const tampered = t.replace(`p.${ann}.`, `p.${bob}.`);
    expect(tampered).not.toBe(t);
    expect(verifyToken(secret, key, tampered, 'preferences')).toMatchObject({ ok: false, reason: 'forged' });
    expect(verifyToken(secret, 'other-key', t, 'preferences')).toMatchObject({ ok: false, reason: 'forged' });
    expect(verifyToken('another-secret-0123456789-0123456789', key, t, 'preferences')).toMatchObject({ ok: false, reason: 'forged' });
    expect(verifyToken(secret, key, t, 'unsubscribe')).toMatchObject({ ok: false, reason: 'wrong-purpose' });
  });

  it('expires confirm tokens but only after checking the signature', () => {
    const t = signToken(secret, key, { purpose: 'confirm', publicId: ann, expiresAt: 1000 });
    expect(verifyToken(secret, key, t, 'confirm', 999)).toMatchObject({ ok: true });
    expect(verifyToken(secret, key, t, 'confirm', 1001)).toMatchObject({ ok: false, reason: 'expired' });
    const forged = t.slice(0, -3) + (t.endsWith('AAA') ? 'BBB' : 'AAA');
    expect(verifyToken(secret, key, forged, 'confirm', 1001)).toMatchObject({ ok: false, reason: 'forged' });
  });

  it('treats garbage as malformed', () => {
    for (const bad of ['', 'abc', 'x.1..sig', 'u.1.', 'u.ZZZZZZZZZZZZZZZ..sig', 'u.1..sig.extra', `u.${ann.toUpperCase()}..sig`, `u.${ann}0..sig`]) {
      expect(verifyToken(secret, key, bad, 'unsubscribe').ok).toBe(false);
    }
  });

  it('accepts only the canonical spelling: no padding, no standard base64, no trailing garbage', () => {
    const t = signToken(secret, key, { purpose: 'unsubscribe', publicId: ann });
    const sig = t.slice(t.lastIndexOf('.') + 1);
    const head = t.slice(0, t.lastIndexOf('.') + 1);
    const standard = Buffer.from(sig, 'base64url').toString('base64');
    // Each of these decodes to the same 20 MAC bytes under Node's lenient base64 decoder.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // 27 characters carry 162 bits for 160: flipping one of the 2 unused low bits decodes the same.
    const unusedBits = head + sig.slice(0, -1) + alphabet[alphabet.indexOf(sig.at(-1)!) ^ 1];
    expect(Buffer.from(unusedBits.slice(head.length), 'base64url')).toEqual(Buffer.from(sig, 'base64url'));
    const variants = [`${t}=`, `${t}==`, head + standard, `${t}.`, `${t}%`, `${t}!`, `${t}A`, unusedBits];
    for (const v of variants) {
      if (v === t) continue;
      expect(verifyToken(secret, key, v, 'unsubscribe'), v).toMatchObject({ ok: false });
    }
  });

  it('carries the public id, never a sequential row id', () => {
    const t = signToken(secret, key, { purpose: 'unsubscribe', publicId: ann });
    expect(t.split('.')[1]).toBe(ann);
  });

  it('still reads an old row-id unsubscribe or preferences link (they sit in inboxes), but no old confirm link', () => {
    const sig = 'A'.repeat(27);
    expect(readToken(`u.16..${sig}`)).toEqual({ purpose: 'unsubscribe', publicId: '', legacyRowId: 42 });
    expect(readToken(`p.16..${sig}`)).toMatchObject({ legacyRowId: 42 });
    expect(readToken(`c.16.zz.${sig}`)).toBeUndefined();
    expect(readToken(`u.016..${sig}`)).toBeUndefined();
  });
});
