import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { isAppError } from '../../../src/errors.js';
import { createEditionRenderer } from '../../../src/render/edition-renderer.js';
import { createWorkerEditionRenderer, renderWorkerEntry, type ClosableEditionRenderer } from '../../../src/render/worker-renderer.js';
import { tempDir } from '../../helpers/env.js';
import { makeArticle, makeEdition, makeLargeEdition, makeSection } from '../../helpers/edition-fixtures.js';

// Rendering in a worker thread must give what rendering in-process gives, report failures as the
// same AppErrors, and survive a worker that dies.

const options = { senderName: 'Topic Digest', senderAddress: '1 Quay Street', publicUrl: 'https://news.example' };

describe('createWorkerEditionRenderer', () => {
  let renderer: ClosableEditionRenderer;
  afterEach(async () => {
    await renderer.close();
  });

  it('renders the same editions as the in-process renderer, several at once, and counts them', async () => {
    renderer = createWorkerEditionRenderer(options);
    const editions = [makeEdition([makeSection('World', [makeArticle({ title: 'Ünïcode & <tags>' })])]), makeLargeEdition(3, 4, 300), makeLargeEdition(30, 10, 1500)];
    const inProcess = createEditionRenderer(options);
    const [inWorker, expected] = await Promise.all([Promise.all(editions.map((e) => renderer.render(e))), Promise.all(editions.map((e) => inProcess.render(e)))]);
    expect(inWorker).toEqual(expected);
    expect(renderer.renderCount).toBe(3);
  });

  it('reports a bad edition as RENDER_FAILED with its hint, and keeps rendering', async () => {
    renderer = createWorkerEditionRenderer(options);
    const bad = renderer.render(makeEdition([makeSection('World', [makeArticle()])], { localDate: '2026-13-45' }));
    await expect(bad).rejects.toSatisfy((e) => isAppError(e, 'RENDER_FAILED') && /bad local date/.test(e.message) && /YYYY-MM-DD/.test(e.hint ?? ''));
    await expect(renderer.render(makeEdition([makeSection('Tech', [makeArticle()])]))).resolves.toMatchObject({ subject: expect.any(String) });
    expect(renderer.renderCount).toBe(1);
  });

  it('starts a new worker after the old one is gone', async () => {
    renderer = createWorkerEditionRenderer(options);
    await renderer.render(makeEdition([makeSection('World', [makeArticle()])]));
    await renderer.close();
    const again = await renderer.render(makeEdition([makeSection('Sport', [makeArticle()])]));
    expect(again.html).toContain('Sport');
  });
});

describe('createLeanEditionRenderer', () => {
  it('renders a small day in-process and moves the rest of a large day to the worker, same output', async () => {
    const { createLeanEditionRenderer } = await import('../../../src/render/worker-renderer.js');
    const lean = createLeanEditionRenderer(options, 2);
    try {
      const editions = ['A', 'B', 'C', 'D'].map((t) => makeEdition([makeSection(t, [makeArticle()])]));
      const inProcess = createEditionRenderer(options);
      const out = [];
      for (const e of editions) out.push(await lean.render(e));
      for (const [i, e] of editions.entries()) expect(out[i]).toEqual(await inProcess.render(e));
      expect(lean.renderCount).toBe(4);
    } finally {
      await lean.close();
    }
  });

  it('in production sends every edition to the worker, from the first one', async () => {
    // The main thread then never loads React and the templates (about 50 MB of RSS).
    vi.stubEnv('NODE_ENV', 'production');
    try {
      const { createLeanEditionRenderer } = await import('../../../src/render/worker-renderer.js');
      const inWorker: string[] = [];
      const fake = { renderCount: 0, close: async () => undefined, render: async (c: { key: string }) => (inWorker.push(c.key), { key: c.key, subject: 's', html: 'h', text: 't', articleIds: [1] }) };
      const lean = createLeanEditionRenderer(options, undefined, fake);
      for (const t of ['A', 'B', 'C']) await lean.render(makeEdition([makeSection(t, [makeArticle()])]));
      expect(inWorker).toEqual(['edition-a', 'edition-b', 'edition-c']);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('renders in-process when the worker dies under an edition, and still reports bad editions', async () => {
    const { createLeanEditionRenderer } = await import('../../../src/render/worker-renderer.js');
    const worker = createWorkerEditionRenderer(options);
    const lean = createLeanEditionRenderer(options, 0, worker);
    try {
      const edition = makeEdition([makeSection('Science', [makeArticle()])]);
      const pending = lean.render(edition);
      await worker.close(); // the worker is gone before it answers
      expect(await pending).toEqual(await createEditionRenderer(options).render(edition));
      const bad = lean.render(makeEdition([makeSection('World', [makeArticle()])], { localDate: 'never' }));
      await expect(bad).rejects.toSatisfy((e) => isAppError(e, 'RENDER_FAILED') && /bad local date/.test(e.message));
    } finally {
      await lean.close();
    }
  });
});

describe('the render worker of the built dist/', () => {
  // dist/ has no tsx and no .mjs shim: the compiled worker must load on its own. (It did not, and
  // every render of a large day fell back to the main thread, garbage and all.)
  beforeAll(() => promisify(execFile)(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json']), 180_000);

  it('picks the compiled worker from compiled code and the tsx shim from source', () => {
    expect(renderWorkerEntry('file:///app/dist/src/render/worker-renderer.js').href).toBe('file:///app/dist/src/render/render-worker.js');
    expect(renderWorkerEntry('file:///app/src/render/worker-renderer.ts').href).toBe('file:///app/src/render/render-worker-entry.mjs');
  });

  it('renders an edition in the worker thread, with no fallback to lean on', async () => {
    const { dir, cleanup } = tempDir();
    const file = join(dir, 'render-in-dist.mjs');
    writeFileSync(file, `
      const { createWorkerEditionRenderer } = await import(${JSON.stringify(pathToFileURL('dist/src/render/worker-renderer.js').href)});
      const r = createWorkerEditionRenderer(${JSON.stringify(options)});
      const out = await r.render({ key: 'k', localDate: '2026-11-27', sections: [{ topic: { slug: 'world', name: 'World' }, articles: [] }] });
      await r.close();
      console.log(JSON.stringify({ subject: out.subject, html: out.html.length, count: r.renderCount }));`);
    const { stdout } = await promisify(execFile)(process.execPath, [file], { env: { ...process.env, NODE_ENV: 'production' } }).finally(cleanup);
    expect(JSON.parse(stdout)).toMatchObject({ subject: expect.any(String), count: 1 });
    expect(JSON.parse(stdout).html).toBeGreaterThan(1000);
  }, 60_000);
});
