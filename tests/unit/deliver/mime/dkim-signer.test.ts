import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { describe, expect, it } from 'vitest';
import { tokens } from '../../../../src/render/personal-tokens.js';
import { dkimSignatures, loadDkimKeys, type DkimKey } from '../../../../src/deliver/mime/dkim-signer.js';
import { isAppError } from '../../../../src/errors.js';
import { encodeEdition } from '../../../../src/deliver/mime/encoded-edition.js';
import { signedBytes, signedBytesOffThread } from '../../../../src/deliver/mime/encoded-sending.js';

// Signatures made by hand must verify with an independent implementation (mailauth), for RSA and
// Ed25519 together, and must fail once a signed header or the body is touched.

const DOMAIN = 'news.example';

function publish(records: Map<string, string>, selector: string, type: 'rsa' | 'ed25519'): DkimKey {
  const { privateKey, publicKey } = type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ed25519');
  const der = (publicKey as KeyObject).export({ type: 'spki', format: 'der' });
  // RFC 8463 publishes the bare 32-byte Ed25519 key, RSA the SubjectPublicKeyInfo.
  const p = (type === 'rsa' ? der : der.subarray(der.length - 32)).toString('base64');
  records.set(`${selector}._domainkey.${DOMAIN}`, `v=DKIM1; k=${type}; p=${p}`);
  return { domain: DOMAIN, selector, key: privateKey as KeyObject };
}

function resolverFor(records: Map<string, string>) {
  return async (host: string, type: string) => {
    const r = records.get(host);
    if (type === 'TXT' && r) return [[r]];
    throw Object.assign(new Error(`no ${type} for ${host}`), { code: 'ENOTFOUND' });
  };
}

function message(name: string | null) {
  const parts = { subject: 'Morning digest — Ünïcode', html: `<p>${tokens.greeting}</p><p>  spaced   out  </p>\n<a href="${tokens.unsubscribeUrl}">u</a>`, text: `${tokens.greeting}\n\ttabbed   text   \nUnsubscribe: ${tokens.unsubscribeUrl}\n` };
  const values = { name, email: 'ann@example.com', unsubscribeUrl: 'https://news.example/unsubscribe/tok==', preferencesUrl: 'https://news.example/p', viewOnlineUrl: 'https://news.example/a' };
  return encodeEdition(parts, { from: 'Topic Digest <digest@news.example>' }).message({
    to: { address: 'ann@example.com', name },
    values,
    messageId: '<1@news.example>',
    date: new Date(),
    list: { unsubscribeUrl: values.unsubscribeUrl, id: 'Topic Digest <digest.news.example>', unsubscribeMailto: 'mailto:u@news.example' },
  });
}

describe('dkimSignatures', () => {
  const records = new Map<string, string>();
  const rsa = publish(records, 'rsa2026', 'rsa');
  const ed = publish(records, 'ed2026', 'ed25519');
  const resolver = resolverFor(records) as never;

  it('dual-signs with RSA and Ed25519, both verified by mailauth, covering the one-click headers', async () => {
    for (const name of [null, 'Ann Ö', '李小龙 "the dragon"']) {
      const raw = signedBytes(message(name), [rsa, ed]);
      const { results } = await dkimVerify(raw, { resolver });
      expect(results.map((r) => [r.status.result, (r as { algo?: string }).algo])).toEqual([
        ['pass', 'rsa-sha256'],
        ['pass', 'ed25519-sha256'],
      ]);
      const h = (results[0] as { signingHeaders?: { keys?: string } }).signingHeaders?.keys?.toLowerCase().split(/:\s*/) ?? [];
      expect(h).toEqual(expect.arrayContaining(['from', 'to', 'subject', 'date', 'message-id', 'list-unsubscribe', 'list-unsubscribe-post', 'list-id', 'content-type', 'mime-version']));
    }
  });

  it('fails when a signed header or the body is changed after signing', async () => {
    const raw = signedBytes(message('Ann'), [rsa, ed]).toString('latin1');
    const header = raw.replace('List-Unsubscribe-Post: List-Unsubscribe=One-Click', 'List-Unsubscribe-Post: List-Unsubscribe=Two-Click');
    const body = raw.replace('tabbed', 'tabbeD');
    expect(header).not.toBe(raw);
    expect(body).not.toBe(raw);
    const signedHeader = await dkimVerify(Buffer.from(header, 'latin1'), { resolver });
    expect(signedHeader.results.map((r) => r.status.result)).toEqual(['fail', 'fail']);
    // mailauth reports a body-hash mismatch as "neutral" with this comment; it is never a pass.
    const changedBody = await dkimVerify(Buffer.from(body, 'latin1'), { resolver });
    expect(changedBody.results.map((r) => [r.status.result, r.status.comment])).toEqual([
      ['neutral', 'body hash did not verify'],
      ['neutral', 'body hash did not verify'],
    ]);
  });

  it('signs the same off the sending thread as on it, and mailauth verifies it', async () => {
    const m = message('Zoë   "Z"\tvan  Berg');
    const now = new Date('2026-11-30T06:00:00Z');
    const off = await signedBytesOffThread(m, [rsa, ed], now);
    expect(off.equals(signedBytes(m, [rsa, ed], now))).toBe(true);
    const { results } = await dkimVerify(off, { resolver });
    expect(results.map((r) => r.status.result)).toEqual(['pass', 'pass']);
  });

  it('hashes the body as sent only because it is canonical: the segment-wise hash agrees', () => {
    const m = message('  spaced   out  ');
    expect(m.canonical).toBe(true);
    const now = new Date('2026-11-30T06:00:00Z');
    expect(dkimSignatures({ ...m, canonical: false }, [rsa], now)).toBe(dkimSignatures(m, [rsa], now));
  });

  it('adds nothing when no key is configured', () => {
    const m = message('Ann');
    expect(signedBytes(m, []).toString('latin1')).not.toMatch(/DKIM-Signature/i);
  });

  it('refuses a key of the wrong kind or a missing file with a CONFIG_INVALID naming the variable', async () => {
    const rsaPem = rsa.key.export({ type: 'pkcs8', format: 'pem' }).toString();
    await expect(loadDkimKeys({ domain: DOMAIN, selector: 's', privateKey: 'not a key' })).rejects.toSatisfy((e) => isAppError(e, 'CONFIG_INVALID') && /DKIM_PRIVATE_KEY/.test(e.message));
    await expect(loadDkimKeys({ domain: DOMAIN, selector: 's', privateKey: rsaPem, ed25519: { selector: 'e', keyFile: '/nonexistent/ed.pem' } })).rejects.toSatisfy(
      (e) => isAppError(e, 'CONFIG_INVALID') && /DKIM_ED25519_KEY_FILE/.test(e.message),
    );
    const keys = await loadDkimKeys({ domain: DOMAIN, selector: 's', privateKey: rsaPem });
    expect(keys.map((k) => k.key.asymmetricKeyType)).toEqual(['rsa']);
  });
});
