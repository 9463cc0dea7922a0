import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tempDir } from '../helpers/env.js';
import { freePort } from '../helpers/free-port.js';

/**
 * The README's first run with a non-default PORT and no PUBLIC_URL: `topic-digest start` as a
 * child process (the same entry point as `npm start`) on a fresh store. Every sample reader gets
 * one digest at once, and every link in the outbox points at the port really served.
 */

const BIN = join(process.cwd(), 'bin', 'topic-digest.js');
const SAMPLE_READERS = (JSON.parse(readFileSync('subscribers.example.json', 'utf8')) as { subscribers: unknown[] }).subscribers.length;

let child: ChildProcess;
let log = '';
let port: number;
let outbox: string;
let cleanup: () => void;

beforeAll(async () => {
  const tmp = tempDir('td-fresh-');
  cleanup = tmp.cleanup;
  port = await freePort();
  outbox = join(tmp.dir, 'outbox');
  const env: Record<string, string> = { ...(process.env as Record<string, string>), PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: `sqlite:${join(tmp.dir, 'db', 'td.db')}`, OUTBOX_DIR: outbox, LOG_LEVEL: 'info' };
  delete env.PUBLIC_URL;
  delete env.SMTP_URL;
  child = spawn(process.execPath, [BIN, 'start'], { cwd: tmp.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const deadline = Date.now() + 50_000;
  while (!/first run on sample data/.test(log) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
}, 60_000);

afterAll(async () => {
  if (child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  cleanup();
});

it('logs the address really served and says it sent each sample reader a digest', () => {
  expect(log).toContain(`signup page: http://localhost:${port}/`);
  expect(log).toContain(`listening on http://127.0.0.1:${port}`);
  expect(log).toMatch(new RegExp(`first run on sample data: sent each sample reader one sample digest now \\(sent=${SAMPLE_READERS}\\)`));
});

it('leaves one digest per sample reader in the outbox, every link on the served port', async () => {
  const files = readdirSync(outbox).filter((f) => f.endsWith('.eml'));
  expect(files).toHaveLength(SAMPLE_READERS);
  const recipients = new Set<string>();
  for (const f of files) {
    const mail = await simpleParser(readFileSync(join(outbox, f)));
    recipients.add(String(mail.to && !Array.isArray(mail.to) ? mail.to.text : ''));
    const html = String(mail.html);
    const urls = [...html.matchAll(/(?:href|src)="(https?:\/\/[^"]+)"/g)].map((m) => m[1]!);
    const local = urls.filter((u) => /localhost|127\.0\.0\.1/.test(u));
    expect(local.length, f).toBeGreaterThan(3);
    for (const u of local) expect(u, f).toMatch(new RegExp(`^http://localhost:${port}/`));
    const listUnsub = String(mail.headers.get('list-unsubscribe') ?? JSON.stringify(mail.headers.get('list')));
    expect(listUnsub).toContain(`localhost:${port}`);
    // The links work on the port that is really served.
    const archive = urls.find((u) => u.includes('/archive/'));
    if (archive) expect((await fetch(archive.replace(/&amp;/g, '&'))).status).toBe(200);
  }
  expect(recipients.size).toBe(SAMPLE_READERS);
});
