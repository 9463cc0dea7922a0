import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `email export` bundles emails/ with its own esbuild and renders every template with empty
 * props, so this catches what tsc and the unit tests cannot: an import the bundler can't resolve,
 * a runtime import from src/, or a prop without a default.
 */

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../../..');
const templates = ['DigestEmail', 'ConfirmEmail', 'WelcomeEmail', 'AlreadySubscribedEmail'];

describe('email export', () => {
  let outDir = '';
  let stdout = '';

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'td-export-'));
    const cli = join(root, 'node_modules', '.bin', 'email');
    ({ stdout } = await run(cli, ['export', '--dir', 'emails', '--outDir', outDir, '--silent'], {
      cwd: root,
      timeout: 110_000,
      env: { ...process.env, NO_COLOR: '1' },
    }));
  }, 120_000);

  afterAll(async () => {
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('produces one HTML file per template and none for _components', async () => {
    const files = (await readdir(outDir)).filter((f) => f.endsWith('.html')).sort();
    expect(files, stdout).toEqual(templates.map((t) => `${t}.html`).sort());
  });

  it('renders the digest from its defaults, with the sample stories and a sample reader (no raw tokens)', async () => {
    const html = await readFile(join(outDir, 'DigestEmail.html'), 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html/);
    expect(html).toContain('<h2');
    expect(html).not.toMatch(/%%td:/);
    expect(html).toContain('Hello Ana,');
    expect(html).toContain('/unsubscribe/preview-token');
    expect(html).toContain('Shanghai port handles record container volumes');
  });

  it('renders each transactional email from its defaults', async () => {
    for (const [name, text] of [
      ['ConfirmEmail', 'Confirm your subscription'],
      ['WelcomeEmail', 'Manage your topics'],
      ['AlreadySubscribedEmail', 'already subscribed'],
    ] as const) {
      const html = await readFile(join(outDir, `${name}.html`), 'utf8');
      expect(html).toContain(text);
    }
  });
});
