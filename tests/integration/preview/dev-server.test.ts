import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `npm run dev` is `email dev --dir emails`: the react-email preview server. This starts it for
 * real on a free port and reads its pages. `/preview/<Name>` server-renders the template with its
 * PreviewProps and embeds the email in an iframe's `srcDoc`, so the headlines are in that page.
 */

const root = resolve(import.meta.dirname, '../../..');
const TEMPLATES = ['DigestEmail', 'ConfirmEmail', 'WelcomeEmail', 'AlreadySubscribedEmail'];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  await new Promise<void>((ok) => server.close(() => ok()));
  return port;
}

async function waitUntilAnswering(url: string, child: ChildProcess, log: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`email dev exited with ${child.exitCode}:\n${log()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`email dev did not answer within ${timeoutMs} ms:\n${log()}`);
}

describe('npm run dev (email dev --dir emails)', () => {
  let child: ChildProcess;
  let base = '';
  let output = '';

  beforeAll(async () => {
    const port = await freePort();
    base = `http://localhost:${port}`;
    // Its own process group, so the Next.js server and esbuild it starts go down with it.
    child = spawn(join(root, 'node_modules', '.bin', 'email'), ['dev', '--dir', 'emails', '--port', String(port)], {
      cwd: root,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', NEXT_TELEMETRY_DISABLED: '1' },
    });
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    await waitUntilAnswering(`${base}/`, child, () => output, 60_000);
  }, 120_000);

  afterAll(async () => {
    if (!child?.pid || child.exitCode !== null) return;
    const exited = new Promise((ok) => child.once('exit', ok));
    process.kill(-child.pid, 'SIGTERM');
    if ((await Promise.race([exited, sleep(10_000, 'timeout')])) === 'timeout') {
      process.kill(-child.pid, 'SIGKILL');
      await exited;
    }
  }, 30_000);

  it('lists every template: digest, confirm, welcome and already-subscribed', async () => {
    const page = await (await fetch(`${base}/preview/DigestEmail`)).text();
    for (const name of TEMPLATES) expect(page, name).toContain(`href="/preview/${name}"`);
  }, 120_000);

  it('renders the digest from the project’s sample articles, in 3–4 topic sections', async () => {
    const res = await fetch(`${base}/preview/DigestEmail`);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('Shanghai port handles record container volumes as exporters race year-end orders');
    expect(page).toContain('Start-up tapes out an open-source RISC-V chip for cheap sensors');
    // Every personal value is filled from a sample reader: no token is ever visible.
    expect(page).not.toMatch(/%%td:/);
    expect(page).toContain('Hello Ana,');
    // Section headings are <h2>s inside the escaped srcDoc.
    const sections = page.match(/&lt;h2 [^]*?&gt;([^&]+)&lt;\/h2&gt;/g) ?? [];
    expect(sections.length).toBeGreaterThanOrEqual(3);
    expect(sections.length).toBeLessThanOrEqual(4);
  }, 120_000);

  it('serves the preview images from emails/static, so nothing needs the network', async () => {
    const page = await (await fetch(`${base}/preview/DigestEmail`)).text();
    const images = [...new Set(page.match(/\/static\/[a-z-]+\.png/g) ?? [])];
    expect(images.length).toBeGreaterThanOrEqual(2);
    for (const path of images) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toBe('image/png');
    }
    expect(page).not.toMatch(/src=&quot;https?:\/\/(?!localhost)[^&]*\.(png|jpe?g|gif)/);
  }, 120_000);

  it('renders each transactional template from its PreviewProps', async () => {
    for (const [name, text] of [
      ['ConfirmEmail', 'Confirm your subscription'],
      ['WelcomeEmail', 'Manage your topics'],
      ['AlreadySubscribedEmail', 'already subscribed'],
    ] as const) {
      const res = await fetch(`${base}/preview/${name}`);
      expect(res.status, name).toBe(200);
      const page = await res.text();
      expect(page, name).toContain('srcDoc=');
      expect(page, name).toContain(text);
      expect(page, name).not.toMatch(/%%td:/);
    }
  }, 120_000);
});
