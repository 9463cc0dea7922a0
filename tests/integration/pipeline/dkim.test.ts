import { generateKeyPairSync } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import type { App } from '../../../src/main.js';
import { digestApp } from '../../helpers/digest-app.js';
import { dkimKey } from '../../helpers/dkim-key.js';
import { seedWorld } from '../../helpers/digest-world.js';
import { tempDir } from '../../helpers/env.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink.js';

const NOW = new Date('2026-11-27T08:00:00Z');

describe('DKIM', () => {
  let sink: SmtpSink;
  let app: App;
  afterEach(async () => {
    await app.close();
    await sink.close();
  });

  it('signs digests so that mailauth verifies them, with both List-Unsubscribe headers signed', async () => {
    const key = dkimKey('s2026', 'news.example.com');
    sink = await startSmtpSink();
    app = await digestApp({ SMTP_URL: sink.url, DKIM_DOMAIN: 'news.example.com', DKIM_SELECTOR: 's2026', DKIM_PRIVATE_KEY: key.pem });
    await seedWorld(app, NOW, { articles: [{ title: 'Markets rally', topics: ['business'] }], readers: [{ email: 'ann@example.com', topics: ['business'], name: 'Ann' }] });
    await app.runDigest({ now: NOW, force: true });

    const raw = sink.messages[0]!.raw;
    const result = await dkimVerify(raw, { resolver: key.resolver as never });
    const sig = result.results[0]!;
    expect(sig.status.result).toBe('pass');
    expect(sig.signingDomain).toBe('news.example.com');
    const signed = ((sig as { signingHeaders?: { keys?: string } }).signingHeaders?.keys ?? '').toLowerCase().split(': ').join(':').split(':');
    expect(signed).toEqual(expect.arrayContaining(['from', 'subject', 'list-unsubscribe', 'list-unsubscribe-post']));

    // A tampered unsubscribe header breaks the signature: proof the header is covered.
    const tampered = Buffer.from(raw.toString().replace('List-Unsubscribe-Post: List-Unsubscribe=One-Click', 'List-Unsubscribe-Post: List-Unsubscribe=Two-Click'));
    expect(tampered.equals(raw)).toBe(false);
    const bad = await dkimVerify(tampered, { resolver: key.resolver as never });
    expect(bad.results[0]!.status.result).toBe('fail');
  });

  it('signs a console test send the same way: it travels the same splice path', async () => {
    const key = dkimKey('s2026', 'news.example.com');
    sink = await startSmtpSink();
    app = await digestApp({ SMTP_URL: sink.url, DKIM_DOMAIN: 'news.example.com', DKIM_SELECTOR: 's2026', DKIM_PRIVATE_KEY: key.pem });
    await seedWorld(app, NOW, { articles: [{ title: 'Markets rally', topics: ['business'] }] });
    expect((await app.sendTestDigest({ to: 'ed@example.com', topics: ['business'], now: NOW })).sent).toBe(true);
    await sink.waitFor((m) => m.length === 1);
    const raw = sink.messages[0]!.raw;
    expect(raw.toString()).toMatch(/^Subject: \[Test\] /m);
    expect((await dkimVerify(raw, { resolver: key.resolver as never })).results[0]!.status.result).toBe('pass');
  });

  it('dual-signs with an Ed25519 key, and the outbox writes the same signed bytes SMTP carries', async () => {
    const key = dkimKey('s2026', 'news.example.com');
    const ed = generateKeyPairSync('ed25519');
    const edPublic = ed.publicKey.export({ type: 'spki', format: 'der' }).subarray(-32).toString('base64');
    const resolver = async (host: string, type: string) =>
      type === 'TXT' && host === 'ed2026._domainkey.news.example.com' ? [[`v=DKIM1; k=ed25519; p=${edPublic}`]] : key.resolver(host, type);
    sink = await startSmtpSink();
    const dkimEnv = { DKIM_DOMAIN: 'news.example.com', DKIM_SELECTOR: 's2026', DKIM_PRIVATE_KEY: key.pem, DKIM_ED25519_SELECTOR: 'ed2026' };
    const keyDir = tempDir();
    onTestFinished(keyDir.cleanup);
    const keyFile = join(keyDir.dir, 'ed.pem');
    writeFileSync(keyFile, ed.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    app = await digestApp({ SMTP_URL: sink.url, ...dkimEnv, DKIM_ED25519_KEY_FILE: keyFile });
    const world = { articles: [{ title: 'Markets rally', topics: ['business'], url: 'https://news.example/markets' }], readers: [{ email: 'ann@example.com', topics: ['business'], name: 'Ann Ö' }] };
    await seedWorld(app, NOW, world);
    await app.runDigest({ now: NOW, force: true });
    const smtpRaw = sink.messages[0]!.raw;
    const { results } = await dkimVerify(smtpRaw, { resolver: resolver as never });
    expect(results.map((r) => r.status.result)).toEqual(['pass', 'pass']);

    // The same world sent to the outbox: byte for byte the same message but for its per-message parts.
    await app.close();
    const outboxApp = await digestApp({ ...dkimEnv, DKIM_ED25519_KEY_FILE: keyFile });
    app = outboxApp;
    await seedWorld(app, NOW, world);
    await app.runDigest({ now: NOW, force: true });
    const outDir = join(outboxApp.dir, 'outbox');
    const fileRaw = readFileSync(join(outDir, readdirSync(outDir).find((f) => f.endsWith('.eml'))!));
    expect((await dkimVerify(fileRaw, { resolver: resolver as never })).results.map((r) => r.status.result)).toEqual(['pass', 'pass']);
    const shape = (raw: Buffer) =>
      raw
        .toString('latin1')
        // Joined across soft line breaks, so a wrapped link token is replaced whole.
        .replace(/=\r\n/g, '')
        .replace(/^DKIM-Signature:[\s\S]*?(?=^\S)/gm, '')
        .replace(/^(Message-ID|Date|X-Entity-Ref-ID):.*$/gm, '')
        .replace(/=_td_[0-9a-f]+/g, 'B')
        .replace(/(unsubscribe|preferences)\/[^"\s<>]+/g, '$1/T');
    expect(shape(fileRaw)).toBe(shape(smtpRaw));
  });
});
