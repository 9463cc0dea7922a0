import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createCliContext, loadConfigParser } from '../../../src/cli/context.js';
import { runCli } from '../../../src/cli/index.js';
import { applyListenOptions } from '../../../src/cli/listen-options.js';
import { isAppError } from '../../../src/errors.js';

describe('start/serve --port', () => {
  beforeAll(() => loadConfigParser());

  it('acts as PORT, so a derived PUBLIC_URL (every email link) follows it', () => {
    const ctx = createCliContext({ env: { PORT: '3000' }, print: () => {} });
    applyListenOptions(ctx, { port: '4300' });
    expect(ctx.config().web).toMatchObject({ port: 4300, publicUrl: 'http://localhost:4300' });
  });

  it('leaves a PUBLIC_URL that was set alone', () => {
    const ctx = createCliContext({ env: { PUBLIC_URL: 'https://news.example.com' }, print: () => {} });
    applyListenOptions(ctx, { port: '4300', host: '127.0.0.1' });
    expect(ctx.config().web).toMatchObject({ port: 4300, host: '127.0.0.1', publicUrl: 'https://news.example.com' });
  });

  it('refuses a port that is not a number', () => {
    const ctx = createCliContext({ env: {}, print: () => {} });
    expect(() => applyListenOptions(ctx, { port: 'eighty' })).toThrow(expect.toSatisfy((e) => isAppError(e, 'USAGE')));
  });
});

describe('--version', () => {
  it('prints the package version and exits 0', async () => {
    let out = '';
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    try {
      expect(await runCli(['node', 'topic-digest', '--version'], { env: {}, print: () => {} })).toBe(0);
    } finally {
      spy.mockRestore();
    }
    expect(out.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
